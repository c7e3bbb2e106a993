from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = "Import and export"

    def ready(self):
        # Celery's autodiscovery finds ``tasks`` modules only; the import task lives beside it.
        from exports import import_tasks  # noqa: F401, PLC0415
