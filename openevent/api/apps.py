from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openevent.api"
    label = "api"
    verbose_name = "API plumbing"

    def ready(self):
        # Registers the OpenAPI extension for our JWT authentication. ready() is Django's place for
        # such registration imports (the app registry is loaded by then).
        from . import schema  # noqa: F401, PLC0415 -- registration side effect, run once apps are ready
