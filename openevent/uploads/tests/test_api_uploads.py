"""The upload routes as API clients see them: answers, refusals as JSON:API errors, caps, throttle."""

import base64
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openevent.users.tests.factories import UserFactory

from . import files

pytestmark = pytest.mark.django_db

URL = re.compile(r"https://events\.example\.org/media/uploads/(\w+)/[0-9a-f]{32}\.(\w+)")
MB = 1024 * 1024


def data_uri(content, declared="image/png"):
    return f"data:{declared};base64,{base64.b64encode(content).decode()}"


@pytest.fixture
def user_api(api):
    return api.as_user(UserFactory())


def post_image(api, body, query="", **kw):
    return api.post(f"/v1/upload/image{query}", body, content_type="application/json", **kw)


def post_files(api, fields, route="files", query=""):
    response = api.client.post(f"/v1/upload/{route}{query}", fields, format="multipart")
    response.json_body = response.json()
    return response


def upload(content, name="x.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def error(response):
    (only,) = response.json_body["errors"]
    return only


# --- /v1/upload/image ---------------------------------------------------------------------------


def test_image_upload_answers_the_absolute_url(user_api, media_root):
    response = post_image(user_api, {"data": data_uri(files.png())})
    assert response.status_code == 200, response.content
    url = response.json_body["url"]
    assert URL.fullmatch(url).groups() == ("image", "png")
    assert (media_root / url.split("/media/", 1)[1]).read_bytes() == files.png()


def test_image_upload_as_jsonapi_content_type(user_api):
    response = user_api.post("/v1/upload/image", {"data": data_uri(files.image("JPEG"), "image/jpeg")})
    assert response.status_code == 200, response.content
    assert response.json_body["url"].endswith(".jpg")


def test_image_declared_type_is_ignored_content_decides(user_api):
    response = post_image(user_api, {"data": data_uri(files.image("GIF"), "image/png")})
    assert response.json_body["url"].endswith(".gif")


def test_html_as_image_is_refused(user_api, media_root):
    response = post_image(user_api, {"data": data_uri(files.HTML)})
    assert response.status_code == 415
    assert error(response)["detail"] == (
        "This file is a text/html document; allowed here: PNG, JPEG, GIF, WebP or SVG images."
    )
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"data": "data:image/png;base64,@@@not base64@@@"}, 400),
        ({"data": "iVBORw0KGgo="}, 422),  # no data URI
        ({"data": "data:image/png,plain"}, 422),  # not base64
        ({}, 422),
        ({"data": 12}, 422),
        ({"data": {"nested": True}}, 422),
        ({"data": "data:image/png;base64,"}, 422),  # empty file
    ],
)
def test_bad_image_bodies_are_error_objects(user_api, body, status):
    response = post_image(user_api, body)
    assert response.status_code == status, response.content
    assert error(response)["status"] == str(status)


def test_malformed_json_is_400(user_api):
    response = user_api.post("/v1/upload/image", raw="{not json", content_type="application/json")
    assert response.status_code == 400
    assert error(response)["status"] == "400"


def test_image_body_beyond_the_image_cap_is_413_unread(user_api, settings):
    settings.UPLOAD_MAX_SIZES = {**settings.UPLOAD_MAX_SIZES, "image": 1000}
    response = post_image(user_api, {"data": data_uri(files.png() + b"\0" * 4000)})
    assert response.status_code == 413
    assert "larger than" in error(response)["detail"]


def test_image_past_its_cap_within_the_body_limit_is_413(user_api, settings):
    settings.UPLOAD_MAX_SIZES = {**settings.UPLOAD_MAX_SIZES, "image": 1000}
    response = post_image(user_api, {"data": data_uri(files.png() + b"\0" * 950)})
    assert response.status_code == 413
    assert error(response)["detail"].endswith("the limit for images is 1000 bytes.")


def test_images_larger_than_the_json_limit_are_accepted(user_api, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == MB
    big = files.png() + bytes(range(256)) * (2 * MB // 256)  # 2 MB, 2.7 MB of base64
    response = post_image(user_api, {"data": data_uri(big)})
    assert response.status_code == 200, response.content


def test_force_local(user_api, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "elsewhere"), "base_url": "https://cdn.example.net/"}},
    }  # fmt: skip
    remote = post_image(user_api, {"data": data_uri(files.png())}).json_body["url"]
    local = post_image(user_api, {"data": data_uri(files.png())}, query="?force_local=true").json_body["url"]
    name = local.split("/media/", 1)[1]
    assert (tmp_path / "media" / name).exists()
    assert not (tmp_path / "elsewhere" / name).exists()
    assert (tmp_path / "elsewhere" / remote.split("/media/", 1)[1]).exists()


# --- who may upload -----------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["image", "file", "files"])
def test_anonymous_is_401(api, route, media_root):
    if route == "image":
        response = post_image(api, {"data": data_uri(files.png())})
    else:
        response = post_files(api, {"file": upload(files.png())}, route=route)
    assert response.status_code == 401
    assert error(response)["status"] == "401"
    assert not media_root.exists()


def test_bad_token_is_401(api):
    api.client.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    response = post_image(api, {"data": data_uri(files.png())})
    assert response.status_code == 401


def test_throttled_per_user(api, settings):
    settings.UPLOAD_THROTTLE_RATE = "2/minute"
    first, second = UserFactory(), UserFactory()
    api.as_user(first)
    assert [post_image(api, {"data": data_uri(files.png())}).status_code for _ in range(2)] == [200, 200]
    throttled = post_files(api, {"file": upload(files.pdf())})
    assert throttled.status_code == 429
    assert error(throttled)["status"] == "429"
    api.as_user(second)
    assert post_image(api, {"data": data_uri(files.png())}).status_code == 200


# --- /v1/upload/file(s) -------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["file", "files"])
def test_one_file_answers_one_url(user_api, route):
    response = post_files(user_api, {"file": upload(files.pdf(), "talk.exe")}, route=route)
    assert response.status_code == 200, response.content
    assert URL.fullmatch(response.json_body["url"]).groups() == ("file", "pdf")


def test_many_files_answer_a_list(user_api):
    fields = {"files[]": [upload(files.pdf()), upload(files.pptx()), upload(files.mp3())]}
    response = post_files(user_api, fields)
    assert response.status_code == 200, response.content
    assert [URL.fullmatch(url).group(2) for url in response.json_body["url"]] == ["pdf", "pptx", "mp3"]


def test_a_list_of_one_is_still_a_list(user_api):
    response = post_files(user_api, {"files[]": [upload(files.odp())]})
    assert len(response.json_body["url"]) == 1


def test_kind_narrows_the_allow_list(user_api):
    assert post_files(user_api, {"file": upload(files.odp())}, query="?kind=slides").status_code == 200
    refused = post_files(user_api, {"file": upload(files.mp3())}, query="?kind=slides")
    assert refused.status_code == 415
    assert error(refused)["detail"].endswith("allowed here: PDF, ODP or PPTX slides.")
    unknown = post_files(user_api, {"file": upload(files.mp3())}, query="?kind=exe")
    assert unknown.status_code == 400
    assert error(unknown)["source"] == {"parameter": "kind"}


def test_one_refused_file_stores_none(user_api, media_root):
    fields = {"files[]": [upload(files.pdf()), upload(files.HTML, "index.pdf", "application/pdf")]}
    response = post_files(user_api, fields)
    assert response.status_code == 415
    assert error(response)["detail"].startswith("File 2: This file is a text/html document")
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_no_file_empty_file_too_many_files(user_api, settings):
    missing = post_files(user_api, {"other": "x"})
    assert missing.status_code == 422
    assert "No file" in error(missing)["detail"]
    empty = post_files(user_api, {"file": upload(b"")})
    assert empty.status_code == 422
    assert error(empty)["detail"] == "The file is empty."
    settings.UPLOAD_MAX_FILES = 2
    many = post_files(user_api, {"files[]": [upload(files.pdf()) for _ in range(3)]})
    assert many.status_code == 422
    assert "At most 2 files" in error(many)["detail"]


def test_file_past_its_kind_cap_is_413(user_api, settings):
    settings.UPLOAD_MAX_SIZES = {**settings.UPLOAD_MAX_SIZES, "document": 2000, "slides": 2000}
    response = post_files(user_api, {"file": upload(files.pdf() + b"%" * 3000)})
    assert response.status_code == 413
    assert error(response)["detail"].startswith("The file is 3 KB; the limit for")


def test_body_past_the_total_cap_is_413_unread(user_api, settings):
    settings.UPLOAD_MAX_TOTAL_SIZE = 5000
    response = post_files(user_api, {"files[]": [upload(files.pdf()), upload(files.pdf() + b"%" * 5000)]})
    assert response.status_code == 413
    assert "larger than 5000 bytes" in error(response)["detail"]


def test_json_to_the_file_route_is_415(user_api):
    response = user_api.post("/v1/upload/files", {"file": "x"}, content_type="application/json")
    assert response.status_code == 415
    assert error(response)["status"] == "415"
