from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Sessions and speakers"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers; models are loaded only now)
