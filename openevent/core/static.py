"""Static files, served by WhiteNoise from the staticfiles finders (``WHITENOISE_USE_FINDERS``)."""
from django.core.signals import setting_changed
from django.dispatch import receiver
from whitenoise.middleware import WhiteNoiseMiddleware

#: What the finders' files add to WhiteNoise's map ({url: StaticFile}), filled by the first
#: middleware of the process.
_found = {}

#: The settings that change which files the finders list, or the headers WhiteNoise serves them
#: with (besides every ``WHITENOISE_*``).
_DEPENDS_ON = {"DEBUG", "FORCE_SCRIPT_NAME", "INSTALLED_APPS", "STATIC_URL", "STATICFILES_DIRS", "STATICFILES_FINDERS"}


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, listing the finders' files once per process.

    WhiteNoise lists and stats every file the finders know (a few hundred, ~70 ms) whenever
    Django builds a middleware chain. A server process builds one; Django's test client builds one
    per client, thousands in the test suite. The map is the same each time, so the first
    middleware keeps it for the later ones; a change of a setting it depends on (tests'
    ``override_settings``) forgets it, as Django's own ``static_finders_changed`` does for the
    finders."""

    def add_files_from_finders(self):
        if not _found:
            earlier, self.files = self.files, {}
            super().add_files_from_finders()
            _found.update(self.files)
            self.files = earlier
        self.files.update(_found)


@receiver(setting_changed)
def _forget_found_files(*, setting, **kwargs):
    if setting in _DEPENDS_ON or setting.startswith("WHITENOISE_"):
        _found.clear()
