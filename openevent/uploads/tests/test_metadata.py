"""Originals of raster images are stored without metadata: EXIF (GPS, serials), XMP, IPTC, comments
and PNG text chunks gone, the orientation applied, the ICC profile and every animation frame kept."""

import io

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageSequence

from openevent.core.errors import Invalid
from openevent.uploads import services
from openevent.uploads.services import UploadRejected, UploadTooLarge

from . import files

#: How far a re-encoded JPEG's colour may stray from the flat colour it was made of.
JPEG_TOLERANCE = 24
RED, BLUE = (255, 0, 0), (0, 0, 255)
#: Every trace of what the test files carry, as bytes anywhere in the stored file.
TRACES = (b"Exif", b"Spy", files.CAMERA_SERIAL.encode(), b"xmpmeta", b"Photoshop", b"8BIM", b"home",
          b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"secret")  # fmt: skip


def store(content, kind="image", **kw):
    return services.store_upload(SimpleUploadedFile("photo.jpg", content, content_type="image/jpeg"), kind=kind, **kw)


def stored_bytes(stored, alias="default"):
    with storages[alias].open(stored.name, "rb") as fileobj:
        return fileobj.read()


def opened(stored, alias="default"):
    return Image.open(io.BytesIO(stored_bytes(stored, alias)))


def near(color, expected):
    return all(abs(got - want) <= JPEG_TOLERANCE for got, want in zip(color, expected, strict=True))


def assert_no_traces(data):
    assert [trace for trace in TRACES if trace in data] == []


@pytest.mark.parametrize("kind", ["image", "file"])
def test_phone_jpeg_loses_gps_serial_xmp_iptc_and_comment_and_is_turned_upright(kind):
    original = files.phone_jpeg(size=(40, 20), orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS position is there to lose
    stored = store(original, kind=kind)
    data = stored_bytes(stored)
    assert_no_traces(data)
    picture = opened(stored)
    assert picture.format == "JPEG"
    assert stored.name.endswith(".jpg")
    assert stored.content_type == "image/jpeg"
    assert stored.size == len(data)
    assert not picture.getexif()
    assert not {"exif", "xmp", "comment", "photoshop"} & set(picture.info)
    # Orientation 6: shown turned a quarter clockwise, so the left (red) half ends up on top.
    assert picture.size == (20, 40)
    rgb = picture.convert("RGB")
    assert near(rgb.getpixel((10, 5)), RED)
    assert near(rgb.getpixel((10, 35)), BLUE)


def test_upright_jpeg_keeps_its_quantization_tables():
    original = files.phone_jpeg(size=(64, 64), orientation=1)
    picture = opened(store(original))
    before = Image.open(io.BytesIO(original))
    assert picture.quantization == before.quantization  # saved with quality="keep"
    assert picture.size == before.size
    assert not picture.getexif()


def test_jpeg_without_orientation_tag_is_stripped_too():
    original = files.image("JPEG", exif=True)
    data = stored_bytes(store(original))
    assert b"Spy Camera" in original
    assert_no_traces(data)


def test_png_text_chunks_exif_and_xmp_are_dropped_pixels_kept():
    original = files.png_with_text()
    before = Image.open(io.BytesIO(original))
    assert before.text  # tEXt, zTXt and iTXt are there to lose
    stored = store(original)
    data = stored_bytes(stored)
    assert_no_traces(data)
    picture = opened(stored)
    assert picture.format == "PNG"
    assert picture.text == {}
    assert not picture.getexif()
    assert picture.tobytes() == before.tobytes()


def test_transparent_png_keeps_its_alpha():
    original = files.png_with_text(mode="RGBA")
    picture = opened(store(original))
    assert picture.mode == "RGBA"
    assert picture.tobytes() == Image.open(io.BytesIO(original)).tobytes()


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda icc: files.phone_jpeg(orientation=1, icc=icc), id="jpeg"),
        pytest.param(lambda icc: files.phone_jpeg(orientation=6, icc=icc), id="jpeg-turned"),
        pytest.param(lambda icc: files.png_with_text(icc=icc), id="png"),
        pytest.param(lambda icc: _webp(icc_profile=icc, exif=files.phone_exif()), id="webp"),
    ],
)
def test_icc_profile_is_kept(make):
    icc = files.icc_profile()
    stored = store(make(icc))
    assert opened(stored).info.get("icc_profile") == icc
    assert b"Spy" not in stored_bytes(stored)


def _webp(lossless=False, **options):
    buffer = io.BytesIO()
    files.halves().save(buffer, "WEBP", lossless=lossless, **options)
    return buffer.getvalue()


def test_webp_loses_exif_and_xmp_and_a_lossless_one_stays_lossless():
    lossy = stored_bytes(store(_webp(exif=files.phone_exif(), xmp=files.XMP)))
    assert_no_traces(lossy)
    assert b"VP8 " in lossy
    original = _webp(lossless=True, exif=files.phone_exif())
    lossless = store(original)
    data = stored_bytes(lossless)
    assert_no_traces(data)
    assert b"VP8L" in data
    assert opened(lossless).tobytes() == Image.open(io.BytesIO(original)).tobytes()


@pytest.mark.parametrize(("fmt", "ext"), [("GIF", "gif"), ("WEBP", "webp"), ("PNG", "png")])
def test_animation_keeps_every_frame_and_its_timing(fmt, ext):
    stored = store(files.animation(fmt))
    assert stored.name.endswith(f".{ext}")
    data = stored_bytes(stored)
    assert_no_traces(data)
    picture = opened(stored)
    assert picture.format == fmt
    assert picture.n_frames == len(files.FRAME_COLORS)
    seen = [(frame.convert("RGB").getpixel((15, 10)), frame.info.get("duration"))
            for frame in ImageSequence.Iterator(picture)]  # fmt: skip
    colors = [Image.new("RGB", (1, 1), color).getpixel((0, 0)) for color in files.FRAME_COLORS]
    assert all(near(color, want) for (color, _duration), want in zip(seen, colors, strict=True))  # WebP: lossy
    assert [duration for _color, duration in seen] == list(files.FRAME_DURATIONS)
    assert picture.info.get("loop") == 0
    assert "comment" not in picture.info


def test_mpo_from_a_phone_is_stored_as_its_main_jpeg():
    buffer = io.BytesIO()
    main, preview = files.halves(size=(40, 20)), files.halves(size=(20, 10), left="lime")
    main.save(buffer, "MPO", save_all=True, append_images=[preview], exif=files.phone_exif(orientation=6))
    stored = store(buffer.getvalue())
    picture = opened(stored)
    assert stored.content_type == "image/jpeg"
    assert (picture.format, picture.size) == ("JPEG", (20, 40))
    assert getattr(picture, "n_frames", 1) == 1
    assert_no_traces(stored_bytes(stored))


def test_svg_is_stored_as_uploaded():
    stored = store(files.SVG)
    assert stored_bytes(stored) == files.SVG


def test_variants_of_a_turned_photo_are_upright():
    stored = store(files.phone_jpeg(size=(2600, 1000), orientation=6))
    assert opened(stored).size == (1000, 2600)
    urls = services.make_image_variants(stored.name)
    fileobj, _content_type, _name = services.open_upload(urls["large"])
    with fileobj:
        large = Image.open(io.BytesIO(fileobj.read()))
    assert large.size == (192, 500)
    assert not large.getexif()


def test_variants_of_an_animation_are_of_its_first_frame():
    urls = services.make_image_variants(store(files.animation("GIF", size=(100, 100))).name)
    fileobj, _content_type, _name = services.open_upload(urls["icon"])
    with fileobj:
        icon = Image.open(io.BytesIO(fileobj.read()))
    assert icon.format == "PNG"
    assert icon.convert("RGB").getpixel((0, 0)) == RED


def test_re_encoded_image_past_the_cap_is_refused(settings, media_root):
    noisy = Image.effect_noise((200, 200), 80).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "WEBP", quality=5)
    original = buffer.getvalue()
    settings.UPLOAD_MAX_SIZES = {**settings.UPLOAD_MAX_SIZES, "image": len(original) + 10}
    with pytest.raises(UploadTooLarge) as refused:
        store(original)
    assert refused.value.status == 413
    assert "the limit for images is" in refused.value.message
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_animation_with_too_many_pixels_in_all_is_refused(settings, media_root):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 30 * 20 * 2  # one frame fits, three do not
    with pytest.raises(UploadRejected) as refused:
        store(files.animation("GIF"))
    assert refused.value.message == (
        "The animation has 3 frames of 30×20 pixels; at most 1,200 pixels in all are allowed."
    )
    assert refused.value.status == 422
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_truncated_jpeg_is_refused_as_damaged(media_root):
    whole = files.image("JPEG", size=(300, 300), color="purple")
    with pytest.raises(UploadRejected, match="damaged"):
        store(whole[: len(whole) // 2])
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_prepared_upload_is_stored_only_as_the_kind_it_was_checked_for(media_root):
    prepared = services.prepare_upload(SimpleUploadedFile("x.pdf", files.pdf()), "file")
    with pytest.raises(Invalid, match="checked as files, not images"):
        services.store_upload(prepared, kind="image")
    assert not media_root.exists() or not any(media_root.rglob("*.*"))
    assert services.store_upload(prepared, kind="file").content_type == "application/pdf"
