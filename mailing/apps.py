from django.apps import AppConfig


class MailingConfig(AppConfig):
    name = "mailing"
    verbose_name = "Mail"

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415  (connects the receivers once the models are loaded)
