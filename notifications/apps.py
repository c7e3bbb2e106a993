from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415  (connects the receivers once the models are loaded)
        from .api.routes import extend_user_resource  # noqa: PLC0415  (the user resource, before the URLs)

        extend_user_resource()
