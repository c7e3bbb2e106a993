"""Events made before forms existed get the forms a new event starts with."""
from django.db import migrations


def add_default_forms(apps, schema_editor):
    from events.form_fields import BUILT_IN

    Event = apps.get_model("events", "Event")
    CustomForm = apps.get_model("events", "CustomForm")
    have = set(CustomForm.objects.values_list("event_id", "form").distinct())
    rows = [
        CustomForm(
            event_id=event_id,
            form=form,
            field_identifier=field.identifier,
            name=field.name,
            type=field.type,
            is_included=field.included,
            is_required=field.required,
            is_public=field.public,
            is_fixed=field.fixed,
            position=position,
        )
        for event_id in Event.objects.values_list("pk", flat=True).iterator()
        for form, fields in BUILT_IN.items()
        if (event_id, form) not in have
        for position, field in enumerate(fields)
    ]
    CustomForm.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("events", "0008_forms_and_reviews")]
    operations = [migrations.RunPython(add_default_forms, migrations.RunPython.noop)]
