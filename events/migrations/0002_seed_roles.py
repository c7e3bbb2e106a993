from django.db import migrations

ROLES = [
    ("owner", "Owner"),
    ("organizer", "Organizer"),
    ("coorganizer", "Co-organizer"),
    ("track_organizer", "Track Organizer"),
    ("moderator", "Moderator"),
    ("registrar", "Registrar"),
]


def seed(apps, schema_editor):
    Role = apps.get_model("events", "Role")
    for name, title in ROLES:
        Role.objects.update_or_create(name=name, defaults={"title_name": title})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
