"""A hostile uploader: polyglots (a GIF that is also JavaScript, a PNG with an HTML page after its
end), a decompression bomb under the default caps, data URIs that lie or carry nothing, a
multipart file name climbing out of the folder, ``force_local`` spelt otherwise; none is stored as
sent nor served as anything that could run (security lesson 15)."""

import base64
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openevent.users.tests.factories import UserFactory

from . import files

pytestmark = pytest.mark.django_db

URL = re.compile(r"https://events\.example\.org/media/(uploads/\w+/[0-9a-f]{32}\.\w+)")
PAYLOAD = b"<script>alert(document.cookie)</script>"


@pytest.fixture
def user_api(api):
    return api.as_user(UserFactory())


def data_uri(content, declared="image/png"):
    return f"data:{declared};base64,{base64.b64encode(content).decode()}"


def stored(media_root):
    return sorted(path for path in Path(media_root).rglob("*") if path.is_file())


def gif_js_polyglot():
    """``GIF89a`` whose logical screen width bytes open a JS comment and whose comment block
    closes it: a valid GIF that is also a valid script (``<script src=…>``)."""
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    gif = bytearray(buffer.getvalue())
    gif[6:8] = b"/*"  # width 10799 as a GIF, "/*" as JavaScript
    comment = b"*/=alert(1);/*"
    return bytes(gif[:13 + 3 * 2 ** ((gif[10] & 7) + 1)]) + b"\x21\xfe" + bytes([len(comment)]) + comment + b"\x00" \
        + bytes(gif[13 + 3 * 2 ** ((gif[10] & 7) + 1):])


def png_bomb(width=60_000, height=60_000):
    """A PNG of 3.6 gigapixels in a few kilobytes (one row of zeros compressed, the header honest)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 16, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_png_with_an_html_page_after_its_end_is_stored_without_it(user_api, client, media_root):
    response = user_api.post("/v1/upload/image", {"data": data_uri(files.png() + files.HTML + PAYLOAD)},
                             content_type="application/json")
    assert response.status_code == 200, response.content
    name = URL.fullmatch(response.json_body["url"])[1]
    body = (Path(media_root) / name).read_bytes()
    assert b"<script" not in body
    assert b"<html" not in body
    served = client.get(f"/media/{name}")
    assert (served["Content-Type"], served["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert "sandbox" in served["Content-Security-Policy"]
    served.close()


def test_gif_that_is_also_javascript_is_refused_or_re_encoded_without_the_script(user_api, media_root):
    response = user_api.post("/v1/upload/image", {"data": data_uri(gif_js_polyglot(), "image/gif")},
                             content_type="application/json")
    assert response.status_code in (200, 422), response.content
    for path in stored(media_root):
        assert b"alert" not in path.read_bytes()
    if response.status_code == 422:
        assert stored(media_root) == []


def test_decompression_bomb_is_refused_under_the_default_caps(user_api, media_root):
    bomb = png_bomb()
    assert len(bomb) < 100_000
    response = user_api.post("/v1/upload/image", {"data": data_uri(bomb)}, content_type="application/json")
    assert response.status_code == 422
    assert "pixels" in response.json_body["errors"][0]["detail"]
    assert stored(media_root) == []


@pytest.mark.parametrize(
    "value",
    ["data:image/png;base64,", "data:;base64,", "data:image/png," + "iVBORw0KGgo=", "image/png;base64,AAAA",
     "data:image/png;base64,%%%%", "data:text/html;base64," + base64.b64encode(files.HTML).decode(),
     "data:image/svg+xml;utf8,<svg onload=alert(1)>"],
)
def test_data_uris_that_lie_or_carry_nothing_store_nothing(user_api, media_root, value):
    response = user_api.post("/v1/upload/image", {"data": value}, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert response.json_body["errors"][0]["status"] == str(response.status_code)
    assert stored(media_root) == []


@pytest.mark.parametrize("name", ["../../../../etc/cron.d/x.png", "..\\..\\x.png", "/abs/x.png", "x.png\x00.html",
                                  "a" * 5000 + ".png", "x.html"])
def test_multipart_file_names_never_reach_the_storage(user_api, media_root, name):
    upload = SimpleUploadedFile("x", files.png(), content_type="text/html")
    upload.name = name
    response = user_api.client.post("/v1/upload/file", {"file": upload}, format="multipart")
    assert response.status_code == 200, response.content
    url = response.json()["url"]
    assert URL.fullmatch(url)[1].startswith("uploads/file/")
    assert url.endswith(".png")
    assert [path.relative_to(media_root).parts[:2] for path in stored(media_root)] == [("uploads", "file")]


@pytest.mark.parametrize("flag", ["TRUE", "1", "yes", "true "])
def test_force_local_is_only_the_word_true(user_api, settings, tmp_path, flag):
    """Only ``true`` picks the local storage; anything else is the default storage (both are
    the same directory here, so the URL tells: no other storage is ever reached by the flag)."""
    response = user_api.post(f"/v1/upload/image?force_local={flag}", {"data": data_uri(files.png())},
                             content_type="application/json")
    assert response.status_code == 200
    assert URL.fullmatch(response.json_body["url"])


def test_svg_with_script_is_served_only_as_a_sandboxed_attachment(user_api, client):
    response = user_api.post("/v1/upload/image", {"data": data_uri(files.SVG, "image/png")},
                             content_type="application/json")
    name = URL.fullmatch(response.json_body["url"])[1]
    assert name.endswith(".svg")
    served = client.get(f"/media/{name}")
    assert served["Content-Type"] == "image/svg+xml"
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    served.close()
