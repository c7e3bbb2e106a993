import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files (uploads, exports) under a directory of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://events.example.org"
    return tmp_path / "media"
