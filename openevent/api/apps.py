import functools

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openevent.api"
    label = "api"
    verbose_name = "API plumbing"

    def ready(self):
        # Registers the OpenAPI extension for our JWT authentication.
        from rest_framework_json_api import utils

        from . import schema  # noqa: F401

        # djangorestframework-jsonapi re-dasherizes every field name of every row through
        # inflection's regexes (~130,000 calls for 2,000 sessions with includes). The mapping is a
        # pure function of two strings, so it is remembered.
        if not hasattr(utils.format_value, "cache_info"):
            utils.format_value = functools.lru_cache(maxsize=4096)(utils.format_value)
