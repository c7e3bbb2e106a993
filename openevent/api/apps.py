from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openevent.api"
    label = "api"
    verbose_name = "API plumbing"
