import pytest

from .s3 import moto_server, s3_storages


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its files under a directory of its own (both local storages use it)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://events.example.org"
    return tmp_path / "media"


@pytest.fixture(scope="module")
def moto_endpoint():
    """A moto_server for the tests of a module."""
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(settings, moto_endpoint):
    """The default storage is S3 (moto); yields the endpoint."""
    settings.STORAGES = s3_storages(moto_endpoint, settings.STORAGES)
    return moto_endpoint
