from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0002_long_text_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="icon_image_url",
            field=models.URLField(blank=True, editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="user",
            name="small_image_url",
            field=models.URLField(blank=True, editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="user",
            name="thumbnail_image_url",
            field=models.URLField(blank=True, editable=False, max_length=500),
        ),
    ]
