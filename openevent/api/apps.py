from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openevent.api"
    label = "api"
    verbose_name = "API plumbing"

    def ready(self):
        # Registers the OpenAPI extension for our JWT authentication.
        from . import schema  # noqa: F401
