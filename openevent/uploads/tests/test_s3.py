"""Uploads on S3 (moto_server on 127.0.0.1): stored, addressed, opened, deleted, and served by
the bucket with the sniffed Content-Type and attachment for all but raster images."""

import io
import urllib.error
import urllib.request

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openevent.uploads import services

from . import files
from .s3 import BUCKET

pytestmark = pytest.mark.django_db


def store(content, kind, **kw):
    return services.store_upload(SimpleUploadedFile("x.html", content, content_type="text/html"), kind=kind, **kw)


def get(url):
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - moto on 127.0.0.1
        return answer.read(), answer.headers


@pytest.mark.parametrize(
    ("make", "kind", "content_type", "disposition"),
    [
        (files.png, "image", "image/png", None),
        (lambda: files.image("JPEG"), "image", "image/jpeg", None),
        (lambda: files.SVG, "image", "image/svg+xml", "attachment"),
        (files.pdf, "document", "application/pdf", "attachment"),
        (
            files.pptx,
            "slides",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "attachment",
        ),
        (files.webm, "video", "video/webm", "attachment"),
    ],
)
def test_stored_on_s3_and_served_with_our_headers(s3, make, kind, content_type, disposition):
    stored = store(make(), kind)
    assert stored.url.startswith(f"{s3}/{BUCKET}/uploads/{kind}/")
    assert "?" not in stored.url  # a lasting URL, no expiring signature
    body, headers = get(stored.url)
    assert body == make()
    assert headers["Content-Type"] == content_type
    assert headers.get("Content-Disposition") == disposition


def test_open_and_delete(s3):
    stored = store(files.pdf(), "document")
    fileobj, content_type, name = services.open_upload(stored.url)
    with fileobj:
        assert fileobj.read() == files.pdf()
    assert (content_type, name) == ("application/pdf", stored.name)
    assert services.open_upload(f"https://elsewhere.example.com/{BUCKET}/{stored.name}") is None
    storages["default"].delete(stored.name)
    assert not storages["default"].exists(stored.name)
    assert services.open_upload(stored.url) is None
    with pytest.raises(urllib.error.HTTPError) as gone:
        get(stored.url)
    gone.value.close()
    assert gone.value.code == 404


def test_variants_on_s3(s3):
    stored = store(files.image("JPEG", size=(1000, 1000), exif=True), "image")
    urls = services.make_image_variants(stored.name)
    body, headers = get(urls["small"])
    assert headers["Content-Type"] == "image/jpeg"
    picture = Image.open(io.BytesIO(body))
    assert picture.size == (50, 50)
    assert not picture.getexif()


def test_force_local_beside_s3(s3, media_root):
    stored = store(files.png(), "image", force_local=True)
    assert stored.url == f"https://events.example.org/media/{stored.name}"
    assert (media_root / stored.name).exists()
    assert not storages["default"].exists(stored.name)
