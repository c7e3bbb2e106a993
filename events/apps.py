from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415  (connects the receivers once the models are loaded)
