"""Stored HTML fields through the sanitizer of the rich-text editor once: plain text typed before
it keeps its paragraphs (blank lines become <p>s), and tags it no longer allows lose their markup
(their text stays). Rows are changed only where the value changes; reversing changes nothing."""
from django.db import migrations, models

from openevent.core.html import sanitize_html

FIELDS = {
    ("events", "Event"): ("description", "owner_description", "code_of_conduct"),
    ("events", "Track"): ("description",),
    ("events", "Sponsor"): ("description",),
    ("events", "SpeakersCall"): ("announcement",),
    ("sessions_app", "Session"): ("short_abstract", "long_abstract", "comments"),
    ("sessions_app", "Speaker"): ("short_biography", "long_biography", "speaking_experience"),
}


def resanitize(apps, schema_editor):
    for (app_label, name), fields in FIELDS.items():
        model = apps.get_model(app_label, name)
        rows = models.QuerySet(model)  # every row, trashed ones too (no manager's filter)
        for row in rows.only("pk", *fields).iterator(chunk_size=500):
            changed = {field: sanitize_html(getattr(row, field)) for field in fields}
            changed = {field: value for field, value in changed.items() if value != (getattr(row, field) or "")}
            if changed:
                rows.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_event_payment_settings"),
        ("sessions_app", "0003_speaker_is_email_overridden"),
    ]

    operations = [migrations.RunPython(resanitize, migrations.RunPython.noop)]
