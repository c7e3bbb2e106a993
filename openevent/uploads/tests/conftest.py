import pytest

from .s3 import moto_endpoint, s3_storages  # noqa: F401 -- moto_endpoint is a fixture


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files under a directory of its own (both local storages use it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://events.example.org"
    return tmp_path / "media"


@pytest.fixture
def s3(settings, moto_endpoint):  # noqa: F811 -- the imported fixture
    """The default storage is S3 (moto); yields the endpoint."""
    settings.STORAGES = s3_storages(moto_endpoint, settings.STORAGES)
    return moto_endpoint
