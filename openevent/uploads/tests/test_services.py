"""store_upload, open_upload, make_image_variants and the variants task, on real tiny files."""

import io
import re

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from openevent.core.errors import Invalid
from openevent.uploads import services, tasks
from openevent.uploads.services import UnsupportedType, UploadRejected, UploadTooLarge

from . import files

NAME = re.compile(r"uploads/(\w+)/[0-9a-f]{32}\.(\w+)")
MB = 1024 * 1024

ACCEPTED = {
    "image": [("png", files.png, "image/png"), ("jpg", lambda: files.image("JPEG"), "image/jpeg"),
              ("gif", lambda: files.image("GIF"), "image/gif"), ("webp", lambda: files.image("WEBP"), "image/webp"),
              ("svg", lambda: files.SVG, "image/svg+xml")],
    "document": [("pdf", files.pdf, "application/pdf")],
    "slides": [("pdf", files.pdf, "application/pdf"),
               ("odp", files.odp, "application/vnd.oasis.opendocument.presentation"),
               ("pptx", files.pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
               ("pptx", files.pptx_late_names,
                "application/vnd.openxmlformats-officedocument.presentationml.presentation")],
    "audio": [("mp3", files.mp3, "audio/mpeg"), ("ogg", files.ogg_vorbis, "audio/ogg"),
              ("wav", files.wav, "audio/wav"), ("m4a", files.m4a, "audio/mp4")],
    "video": [("mp4", files.mp4, "video/mp4"), ("webm", files.webm, "video/webm"),
              ("ogv", files.ogg_theora, "video/ogg")],
}  # fmt: skip
ALL = [(kind, *case) for kind, cases in ACCEPTED.items() for case in cases]
REFUSED = {
    "image": [files.pdf, lambda: files.HTML, files.mp3, files.plain_zip],
    "document": [files.png, files.odp, files.pptx, lambda: files.HTML],
    "slides": [files.png, files.plain_zip, files.wav],
    "audio": [files.mp4, files.png, files.ogg_theora],
    "video": [files.mp3, files.pdf, files.ogg_vorbis],
    "file": [lambda: files.HTML, files.plain_zip, lambda: b"just some text", lambda: b"MZ\x90\x00" + b"\0" * 60],
}


def upload(content, name="upload.bin", content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_bytes(name, alias="default"):
    with storages[alias].open(name, "rb") as stored:
        return stored.read()


@pytest.mark.parametrize(("kind", "ext", "make", "mime"), ALL)
def test_each_kind_accepts_its_types_stored_under_our_name(kind, ext, make, mime, media_root):
    content = make()
    stored = services.store_upload(upload(content), kind=kind)
    assert NAME.fullmatch(stored.name).groups() == (kind, ext)
    assert stored.content_type == mime
    assert stored.url == f"https://events.example.org/media/{stored.name}"
    data = (media_root / stored.name).read_bytes()
    assert stored.size == len(data)
    if mime in services.ORIGINAL_FORMATS:  # a raster image is re-saved without metadata (test_metadata.py)
        assert Image.open(io.BytesIO(data)).size == Image.open(io.BytesIO(content)).size
    else:
        assert data == content


@pytest.mark.parametrize(("kind", "ext", "make", "mime"), ALL)
def test_file_accepts_every_allowed_type(kind, ext, make, mime):
    stored = services.store_upload(upload(make()), kind="file")
    assert NAME.fullmatch(stored.name).groups() == ("file", ext)


@pytest.mark.parametrize(("kind", "make"), [(kind, make) for kind, makes in REFUSED.items() for make in makes])
def test_each_kind_refuses_other_types(kind, make, media_root):
    with pytest.raises(UnsupportedType) as refused:
        services.store_upload(upload(make()), kind=kind)
    assert refused.value.message.startswith("This file is ")
    assert "allowed here:" in refused.value.message
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_html_named_png_is_refused_with_a_sentence():
    lying = upload(files.HTML, name="photo.png", content_type="image/png")
    with pytest.raises(UploadRejected) as refused:
        services.store_upload(lying, kind="image")
    assert (
        refused.value.message == "This file is a text/html document; allowed here: PNG, JPEG, GIF, WebP or SVG images."
    )
    assert refused.value.status == 415


def test_png_named_exe_is_accepted_and_stored_as_png():
    stored = services.store_upload(upload(files.png(), name="setup.exe", content_type="application/x-msdownload"),
                                   kind="image")  # fmt: skip
    assert stored.name.endswith(".png")
    assert "setup" not in stored.url
    assert stored.content_type == "image/png"


def test_user_path_never_reaches_the_name():
    stored = services.store_upload(upload(files.png(), name="../../etc/passwd.png"), kind="image")
    assert NAME.fullmatch(stored.name)


def test_size_cap_per_kind_with_a_sentence(settings):
    settings.UPLOAD_MAX_SIZES = {**settings.UPLOAD_MAX_SIZES, "image": 10 * MB}
    big = files.image("PNG", size=(10, 10)) + b"\0" * (12 * MB)  # a PNG with trailing junk, 12.0 MB
    with pytest.raises(UploadTooLarge) as refused:
        services.store_upload(upload(big), kind="image")
    assert refused.value.message == "The file is 12 MB; the limit for images is 10 MB."
    assert refused.value.status == 413


def test_file_kind_takes_the_cap_of_the_type(settings):
    settings.UPLOAD_MAX_SIZES = {**settings.UPLOAD_MAX_SIZES, "image": 1000, "slides": 10 * MB, "document": 2000}
    pdf = files.pdf() + b"\n%" + b"x" * 5000
    assert services.store_upload(upload(pdf), kind="file").content_type == "application/pdf"  # slides allow 10 MB
    with pytest.raises(UploadTooLarge) as refused:
        services.store_upload(upload(files.png() + b"\0" * 3000), kind="file")
    assert refused.value.message.endswith("; the limit for images is 1000 bytes.")


def test_empty_and_damaged_files_are_refused():
    with pytest.raises(UploadRejected, match="empty"):
        services.store_upload(upload(b""), kind="file")
    damaged = files.png()[:60]
    with pytest.raises(UploadRejected, match="damaged"):
        services.store_upload(upload(damaged), kind="image")


def test_too_many_pixels_are_refused(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100
    with pytest.raises(UploadRejected, match="pixels"):
        services.store_upload(upload(files.png(size=(20, 20))), kind="image")


def test_unknown_kind_is_invalid():
    with pytest.raises(Invalid, match="Unknown kind"):
        services.store_upload(upload(files.png()), kind="exe")


def test_force_local_writes_to_the_local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(tmp_path / "elsewhere")}},
    }  # fmt: skip
    remote = services.store_upload(upload(files.png()), kind="image")
    local = services.store_upload(upload(files.png()), kind="image", force_local=True)
    assert (tmp_path / "elsewhere" / remote.name).exists()
    assert (tmp_path / "media" / local.name).exists()
    assert not (tmp_path / "media" / remote.name).exists()
    assert local.url == f"https://events.example.org/media/{local.name}"


def test_url_without_site_url_is_the_dev_server(settings):
    settings.SITE_URL = ""
    stored = services.store_upload(upload(files.png()), kind="image")
    assert stored.url == f"http://127.0.0.1:8000/media/{stored.name}"


# --- open_upload ----------------------------------------------------------------------------


def test_open_upload_by_url_path_and_name():
    stored = services.store_upload(upload(files.pdf()), kind="document")
    for address in (stored.url, f"/media/{stored.name}", stored.name):
        fileobj, content_type, name = services.open_upload(address)
        with fileobj:
            assert fileobj.read() == files.pdf()
        assert (content_type, name) == ("application/pdf", stored.name)


@pytest.mark.parametrize(
    "address",
    [
        "https://elsewhere.example.com/media/uploads/image/0123456789abcdef0123456789abcdef.png",
        "https://events.example.org/media/uploads/image/0123456789abcdef0123456789abcdef.png",  # not stored
        "https://events.example.org/media/uploads/image/../../../settings.py",
        "https://events.example.org/media/uploads/image/%2e%2e/x.png",
        "/media/../openevent/settings.py",
        "../../etc/passwd",
        "https://events.example.org/media/exports/1/event.zip",
        "uploads/image/0123456789abcdef0123456789abcdef.html",
        "uploads/document/0123456789abcdef0123456789abcdef.png",  # a type its kind does not take
        "",
        None,
    ],
)
def test_open_upload_refuses_what_is_not_ours(address, media_root):
    (media_root / "exports" / "1").mkdir(parents=True)
    (media_root / "exports" / "1" / "event.zip").write_bytes(files.plain_zip())
    assert services.open_upload(address) is None


def test_open_upload_of_another_host_is_none_even_if_the_name_exists():
    stored = services.store_upload(upload(files.png()), kind="image")
    assert services.open_upload(stored.url.replace("events.example.org", "evil.example.com")) is None


# --- variants ---------------------------------------------------------------------------------


def _opened(url):
    fileobj, _content_type, _name = services.open_upload(url)
    with fileobj:
        return Image.open(io.BytesIO(fileobj.read()))


def test_variants_fit_their_boxes_keep_aspect_and_lose_exif():
    original = files.image("JPEG", size=(2600, 1000), exif=True)
    assert Image.open(io.BytesIO(original)).getexif()[files.EXIF_MAKE] == "Spy Camera"
    stored = services.store_upload(upload(original), kind="image")
    urls = services.make_image_variants(stored.name)
    assert set(urls) == {"thumbnail", "small", "icon", "large"}
    sizes = {}
    for variant, url in urls.items():
        picture = _opened(url)
        assert picture.format == "JPEG"
        assert not picture.getexif()
        assert "exif" not in picture.info
        sizes[variant] = picture.size
        assert url.endswith(f"-{variant}.jpg")
    assert sizes == {"large": (1300, 500), "thumbnail": (500, 192), "small": (50, 19), "icon": (75, 29)}


def test_variants_of_a_square_photo_and_never_enlarged():
    stored = services.store_upload(upload(files.png(size=(600, 600))), kind="image")
    urls = services.make_image_variants(stored.name)
    sizes = {variant: _opened(url).size for variant, url in urls.items()}
    assert sizes == {"large": (500, 500), "thumbnail": (500, 500), "small": (50, 50), "icon": (35, 35)}
    assert _opened(urls["large"]).format == "PNG"


def test_variants_keep_transparency_and_webp():
    transparent = files.image("PNG", size=(100, 100), color=(0, 0, 0, 0), mode="RGBA")
    urls = services.make_image_variants(services.store_upload(upload(transparent), kind="image").name)
    assert _opened(urls["small"]).mode == "RGBA"
    webp = services.store_upload(upload(files.image("WEBP", size=(100, 40))), kind="image")
    assert _opened(services.make_image_variants(webp.name)["icon"]).format == "WEBP"


def test_variants_again_replace_the_old_ones(media_root):
    stored = services.store_upload(upload(files.png(size=(100, 100))), kind="image")
    first = services.make_image_variants(stored.name)
    assert services.make_image_variants(stored.name) == first
    assert len(list((media_root / "uploads" / "image").iterdir())) == 1 + len(first)


def test_svg_has_no_raster_variants():
    stored = services.store_upload(upload(files.SVG), kind="image")
    assert services.make_image_variants(stored.name) == dict.fromkeys(
        ("large", "thumbnail", "small", "icon"), stored.url
    )


def test_variants_of_what_is_not_an_image_or_not_ours_are_refused():
    pdf = services.store_upload(upload(files.pdf()), kind="document")
    with pytest.raises(Invalid):
        services.make_image_variants(pdf.name)
    with pytest.raises(Invalid):
        services.make_image_variants("../../etc/passwd")
    with pytest.raises(Invalid):
        services.make_image_variants("uploads/image/0123456789abcdef0123456789abcdef.png")


def test_variants_task_runs_eagerly_with_the_storage_name():
    stored = services.store_upload(upload(files.png(size=(1000, 1000))), kind="image", force_local=True)
    urls = tasks.task_make_image_variants.delay(stored.name).get()
    assert _opened(urls["thumbnail"]).size == (500, 500)


@pytest.mark.parametrize(("make", "kind", "said"), [
    (files.pdf, "image", "This file is in PDF format; allowed here: PNG, JPEG, GIF, WebP or SVG images."),
    (files.png, "slides", "This file is in PNG format; allowed here: PDF, ODP or PPTX slides."),
])  # fmt: skip
def test_a_known_but_refused_type_is_named_in_a_sentence(make, kind, said):
    # Not "an PDF file": the sentence needs no article before the type's name.
    with pytest.raises(UnsupportedType) as refused:
        services.store_upload(upload(make(), name="photo.png", content_type="image/png"), kind=kind)
    assert refused.value.message == said
