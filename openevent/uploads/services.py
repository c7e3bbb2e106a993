"""Storing uploaded files, finding them again, and making the variants of images.

``store_upload`` checks a file against the allow-list of its kind by the type sniffed from its
content (``types.sniff``) and the size caps of ``settings.UPLOAD_MAX_SIZES``, stores it under a
name of ours and answers its absolute URL (model fields are URL fields). ``open_upload`` opens a
stored file by such a URL (the event export copies media with it), ``make_image_variants`` makes
the thumbnail, small, icon and large images Open Event clients show.

Files go to the default storage (local ``MEDIA_ROOT`` or S3, ``STORAGE_BACKEND``), or to the
``local`` storage when asked (``force_local``, Open Event's ``?force_local=true``); local files
are served by ``views.media``.
"""

import logging
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from PIL import Image, ImageOps, UnidentifiedImageError

from openevent.core.errors import Invalid

from . import types
from .types import ALLOWED, KINDS, NOUNS, describe, parse_name, sniff

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "StoredUpload",
    "UnsupportedType",
    "UploadRejected",
    "UploadTooLarge",
    "make_image_variants",
    "open_upload",
    "store_upload",
    "url_of",
]

#: The origin of media URLs when ``SITE_URL`` is not set: this machine's development server.
DEV_SERVER = "http://127.0.0.1:8000"
BYTES_PER_KB = 1024
BYTES_PER_MB = 1024 * 1024
TOKEN_BYTES = 16
#: Formats Pillow writes the variants in, by the original's type (JPEG stays JPEG, transparency stays).
VARIANT_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "PNG", "image/webp": "WEBP"}
VARIANT_QUALITY = 85
#: A variant's format -> the extension of its name.
FORMAT_EXTS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


class UploadRejected(Invalid):
    """An upload refused: wrong kind, empty, unreadable (422 unless a subclass says otherwise)."""


class UploadTooLarge(UploadRejected):
    status = 413


class UnsupportedType(UploadRejected):
    status = 415


@dataclass(frozen=True)
class StoredUpload:
    url: str
    name: str
    content_type: str
    size: int


def human_size(size):
    """``12.3 MB``, ``850 KB``, ``12 bytes``."""
    if size >= BYTES_PER_MB:
        return f"{size / BYTES_PER_MB:.1f}".removesuffix(".0") + " MB"
    if size >= BYTES_PER_KB:
        return f"{size / BYTES_PER_KB:.0f} KB"
    return f"{size} bytes"


def limit_of(kind, mime=None):
    """``(cap in bytes, the kind it is of)`` for a file of ``kind``: "file" takes the largest cap
    of the kinds accepting ``mime`` (of all kinds while the type is unknown)."""
    caps = settings.UPLOAD_MAX_SIZES
    if kind != "file":
        return caps[kind], kind
    kinds = [name for name in caps if mime is None or types.BY_MIME.get(mime) in ALLOWED[name]] or list(caps)
    largest = max(kinds, key=caps.__getitem__)
    return caps[largest], largest if mime else kind


def _size_of(fileobj):
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.seek(0, 2)
        fileobj.seek(0)
        size = position
    return size


def _check_size(size, kind, mime=None):
    limit, of_kind = limit_of(kind, mime)
    if size > limit:
        raise UploadTooLarge(f"The file is {human_size(size)}; the limit for {NOUNS[of_kind]} is {human_size(limit)}.")


def _check_image(fileobj):
    """A raster image Pillow can read, of at most ``UPLOAD_IMAGE_MAX_PIXELS`` pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(fileobj) as image:
                width, height = image.size
                if width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
                    raise UploadRejected(
                        f"The image is {width}×{height} pixels; at most "
                        f"{settings.UPLOAD_IMAGE_MAX_PIXELS:,} pixels are allowed."
                    )
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as error:  # fmt: skip
        raise UploadRejected("This image is damaged or cannot be read.") from error
    finally:
        fileobj.seek(0)


def check_upload(fileobj, kind):
    """The FileType of ``fileobj`` if ``kind`` accepts it, else UploadRejected (or a subclass)
    with a sentence for people. Reads no more than the sniffed head (and a zip's directory)."""
    if kind not in KINDS:
        raise Invalid(f"Unknown kind of upload {kind!r}; one of {', '.join(KINDS)}.", field="kind")
    size = _size_of(fileobj)
    if not size:
        raise UploadRejected("The file is empty.")
    _check_size(size, kind)
    mime = sniff(fileobj)
    file_type = types.BY_MIME.get(mime)
    if file_type is None or file_type not in ALLOWED[kind]:
        described = f"an {file_type.label} file" if file_type else f"a {mime} document"
        raise UnsupportedType(f"This file is {described}; allowed here: {describe(kind)}.")
    _check_size(size, kind, mime)
    if file_type.inline:
        _check_image(fileobj)
    return file_type, size


def _storage(force_local):
    return storages["local"] if force_local else storages["default"]


def _is_local(storage):
    return isinstance(storage, FileSystemStorage)


def public_origin():
    """The origin our own media are served from: ``SITE_URL``, else the development server."""
    return (settings.SITE_URL or DEV_SERVER).rstrip("/")


def _media_prefix():
    media_url = settings.MEDIA_URL
    return media_url if urlsplit(media_url).scheme else f"{public_origin()}/{media_url.lstrip('/')}"


def url_of(name, storage=None):
    """The absolute URL of the stored file ``name`` in ``storage`` (default: the default storage)."""
    storage = storage or storages["default"]
    if _is_local(storage):
        return f"{_media_prefix()}{name}"
    return storage.url(name)


class _Content(File):
    """The file handed to the storage, telling it the sniffed type (S3 writes it as Content-Type)."""

    def __init__(self, fileobj, content_type):
        super().__init__(fileobj)
        self.content_type = content_type


def store_upload(fileobj, *, kind, user=None, force_local=False):
    """Check ``fileobj`` (a seekable binary file) against ``kind`` and store it as
    ``uploads/<kind>/<random token>.<extension of its sniffed type>``: the StoredUpload."""
    file_type, size = check_upload(fileobj, kind)
    storage = _storage(force_local)
    name = f"uploads/{kind}/{secrets.token_hex(TOKEN_BYTES)}.{file_type.ext}"
    fileobj.seek(0)
    name = storage.save(name, _Content(fileobj, file_type.mime))
    logger.info("Stored upload %s (%s, %d bytes) for user %s", name, file_type.mime, size, getattr(user, "pk", None))
    return StoredUpload(url=url_of(name, storage), name=name, content_type=file_type.mime, size=size)


def _candidate_name(url):
    """The storage name a URL of ours would carry (its path's tail matching our pattern), else None."""
    path = urlsplit(url).path
    marker = path.rfind("uploads/")
    name = path[marker:] if marker >= 0 else ""
    return name if parse_name(name) else None


def _without_query(url):
    return url.split("?", 1)[0].split("#", 1)[0]


def _storages_for(url, name):
    """The storages ``url`` may point into: ours by name or by the URL each would give ``name``."""
    candidates = [storages["local"], storages["default"]]
    if url in (name, f"{settings.MEDIA_URL}{name}"):
        return [storage for storage in candidates if _is_local(storage)] if url != name else candidates
    wanted = _without_query(url)
    return [storage for storage in candidates if _without_query(url_of(name, storage)) == wanted]


def open_upload(url):
    """``(file opened for reading, content type, storage name)`` of the file of ours at ``url``
    (an absolute URL answered by ``store_upload``/``make_image_variants``, our ``MEDIA_URL`` path,
    or a storage name), else None: external URLs, names not of our pattern, missing files. Only a
    name matching our pattern ever reaches a storage."""
    if not isinstance(url, str) or not url:
        return None
    name = _candidate_name(url)
    if name is None:
        return None
    for storage in _storages_for(url, name):
        try:
            fileobj = storage.open(name, "rb")
        except OSError:
            continue
        return fileobj, types.type_of_name(name).mime, name
    return None


def _holder_of(name):
    for alias in ("default", "local"):
        storage = storages[alias]
        if storage.exists(name):
            return storage
    raise Invalid(f"No stored file is named {name!r}.")


def _variant(image, box, image_format):
    """``image`` fitted into ``box`` as bytes of ``image_format``, without metadata."""
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS)
    if image_format == "JPEG" and copy.mode != "RGB":
        copy = copy.convert("RGB")
    elif copy.mode not in ("RGB", "RGBA", "L", "LA"):
        copy = copy.convert("RGBA")
    clean = Image.new(copy.mode, copy.size)  # a fresh image carries no EXIF, ICC or text chunks
    clean.paste(copy)
    buffer = BytesIO()
    clean.save(buffer, image_format, quality=VARIANT_QUALITY, optimize=True)
    buffer.seek(0)
    return buffer


def _load_image(storage, name):
    try:
        with storage.open(name, "rb") as stored, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stored) as opened:
                opened.seek(0)  # the first frame of an animation
                image = ImageOps.exif_transpose(opened)  # upright before the orientation tag goes
                image.load()
                return image
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning, OSError,
            SyntaxError, ValueError) as error:  # fmt: skip
        raise Invalid(f"The stored image {name} cannot be read.") from error


def make_image_variants(name):
    """Make the thumbnail, small, icon and large variants of the stored image ``name`` (boxes of
    ``settings.IMAGE_VARIANT_SIZES``, aspect kept, never enlarged, metadata stripped) beside it,
    as ``uploads/<kind>/<token>-<variant>.<ext>``: ``{"thumbnail": url, "small": url, "icon":
    url, "large": url}``. An SVG has no raster variants: each is the original's URL. Running it
    again replaces the variants."""
    parsed = parse_name(name)
    if parsed is None or parsed[3] is not None:
        raise Invalid(f"{name!r} is not the name of an uploaded original.")
    kind, file_type, token, _variant_name = parsed
    storage = _holder_of(name)
    if file_type.mime not in VARIANT_FORMATS:
        if file_type == types.SVG:
            return dict.fromkeys(settings.IMAGE_VARIANT_SIZES, url_of(name, storage))
        raise Invalid(f"{name!r} is not an image.")
    image_format = VARIANT_FORMATS[file_type.mime]
    image = _load_image(storage, name)
    urls = {}
    for variant, box in settings.IMAGE_VARIANT_SIZES.items():
        variant_name = f"uploads/{kind}/{token}-{variant}.{FORMAT_EXTS[image_format]}"
        storage.delete(variant_name)
        content = _Content(_variant(image, box, image_format), types.BY_EXT[FORMAT_EXTS[image_format]].mime)
        saved = storage.save(variant_name, content)
        urls[variant] = url_of(saved, storage)
    return urls
