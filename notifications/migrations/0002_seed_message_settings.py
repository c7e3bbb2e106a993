"""One MessageSettings row per action, everything switched on (administrators change them in
admin and /v1/message-settings)."""
from django.db import migrations

# The action keys as of this migration (notifications.models.ACTIONS may grow; later actions get
# their rows from later migrations or on first use).
ACTIONS = [
    "user_registration", "user_confirmation", "user_change_email", "password_reset", "password_change",
    "event_role", "event_role_accepted", "new_session", "session_state_change", "session_schedule_change",
    "event_published", "speakers_call_opened", "after_event", "event_exported", "event_export_fail",
    "event_imported", "event_import_fail", "speaker_mail",
]  # fmt: skip


def seed(apps, schema_editor):
    MessageSettings = apps.get_model("notifications", "MessageSettings")
    existing = set(MessageSettings.objects.values_list("action", flat=True))
    MessageSettings.objects.bulk_create(
        MessageSettings(action=action) for action in ACTIONS if action not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
