from django.apps import AppConfig


class UploadsConfig(AppConfig):
    name = "openevent.uploads"
    label = "uploads"
    verbose_name = "Uploads"
