from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "openevent.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        from .crypto import check_key  # noqa: PLC0415  (registered once the settings are loaded)

        checks.register(check_key, checks.Tags.security)
