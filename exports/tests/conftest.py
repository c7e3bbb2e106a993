import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files (uploads, exports) under a directory of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def site_url(settings):
    """Links in results and mails point at this origin (the worker knows no request)."""
    settings.SITE_URL = "https://events.example.org"
    return settings.SITE_URL
