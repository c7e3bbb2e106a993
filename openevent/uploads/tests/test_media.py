"""The media view: our names only, the sniffed type, nosniff, attachment but for raster images,
a sandboxing policy; everything else is a 404, traversal included."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from openevent.uploads import services

from . import files

POLICY = "default-src 'none'; sandbox"


def stored(content, kind):
    return services.store_upload(SimpleUploadedFile("x", content), kind=kind)


def fetch(client, upload):
    return client.get(f"/media/{upload.name}")


@pytest.mark.parametrize(
    ("make", "kind", "content_type", "inline"),
    [
        (files.png, "image", "image/png", True),
        (lambda: files.image("JPEG"), "image", "image/jpeg", True),
        (lambda: files.image("WEBP"), "image", "image/webp", True),
        (lambda: files.SVG, "image", "image/svg+xml", False),
        (files.pdf, "document", "application/pdf", False),
        (files.mp4, "video", "video/mp4", False),
        (files.mp3, "audio", "audio/mpeg", False),
    ],
)
def test_served_with_the_sniffed_type_and_safe_headers(client, make, kind, content_type, inline):
    upload = stored(make(), kind)
    response = fetch(client, upload)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == make()
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == POLICY
    basename = upload.name.rsplit("/", 1)[1]
    assert response["Content-Disposition"] == f'{"inline" if inline else "attachment"}; filename="{basename}"'


def status_of(response):
    """The status of a streamed answer, closed (its file with it)."""
    response.close()
    return response.status_code


@override_settings(DEBUG=False)
def test_served_without_debug(client):
    assert status_of(fetch(client, stored(files.png(), "image"))) == 200


def test_head_is_answered_and_writes_are_not(client):
    upload = stored(files.png(), "image")
    assert status_of(client.head(f"/media/{upload.name}")) == 200
    assert client.post(f"/media/{upload.name}").status_code == 405


def test_variants_are_served(client):
    upload = stored(files.png(size=(300, 300)), "image")
    thumbnail = services.make_image_variants(upload.name)["thumbnail"]
    response = client.get(thumbnail.split("events.example.org", 1)[1])
    assert status_of(response) == 200
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "uploads/image/0123456789abcdef0123456789abcdef.png",  # our pattern, not stored
        "uploads/image/../../../openevent/settings.py",
        "uploads/image/..%2f..%2fsecret.png",
        "%2e%2e/%2e%2e/etc/passwd",
        "..%5c..%5cwindows.ini",
        "exports/1/event.zip",
        "secret.txt",
        "uploads/image/0123456789abcdef0123456789abcdef.html",
        "uploads/image/0123456789ABCDEF0123456789ABCDEF.png",
        "uploads/document/0123456789abcdef0123456789abcdef.png",
        "/etc/passwd",
    ],
)
def test_anything_else_is_404(client, media_root, path):
    (media_root / "exports" / "1").mkdir(parents=True)
    (media_root / "exports" / "1" / "event.zip").write_bytes(files.plain_zip())
    (media_root / "secret.txt").write_text("secret")
    response = client.get(f"/media/{path}")
    assert response.status_code == 404
    assert b"secret" not in response.content


def test_a_file_planted_under_an_html_name_is_not_served(client, media_root):
    folder = media_root / "uploads" / "image"
    folder.mkdir(parents=True)
    (folder / "0123456789abcdef0123456789abcdef.html").write_bytes(files.HTML)
    assert client.get("/media/uploads/image/0123456789abcdef0123456789abcdef.html").status_code == 404
