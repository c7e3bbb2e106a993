"""Test helpers for uploaded images: real PNG files stored through ``openevent.uploads``, in a
media folder of the test's own."""

from io import BytesIO

from PIL import Image

from openevent.uploads.services import open_upload, store_upload

#: A picture larger than every variant box (settings.IMAGE_VARIANT_SIZES), so each is scaled down.
BIG = (1600, 900)
#: Where stored files are served from in these tests (a host the URL validators accept).
SITE = "http://localhost:8000"


def png_bytes(size=BIG, colour=(200, 30, 60)):
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def use_tmp_media(settings, tmp_path):
    """Stored files go to ``tmp_path``; their URLs start with ``SITE``."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = SITE


def uploaded_png(size=BIG, colour=(200, 30, 60), kind="image"):
    """The absolute URL of a PNG stored as an upload of ``kind``."""
    return store_upload(BytesIO(png_bytes(size, colour)), kind=kind).url


def stored_pdf():
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    pdf += b"trailer<</Root 1 0 R>>\n%%EOF\n"
    return store_upload(BytesIO(pdf), kind="document").url


def image_size(url):
    """The pixel size of the stored image at ``url`` (it must be one of ours)."""
    opened = open_upload(url)
    assert opened is not None, f"{url} is not a stored file"
    fileobj, _content_type, _name = opened
    with fileobj, Image.open(fileobj) as image:
        return image.size


def fits(size, box):
    return size[0] <= box[0] and size[1] <= box[1] and (size[0] == box[0] or size[1] == box[1])
