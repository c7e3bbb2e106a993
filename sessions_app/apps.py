from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Sessions and speakers"

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415  (connects the receivers once the models are loaded)
