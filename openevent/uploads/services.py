"""Storing uploaded files, finding them again, and making the variants of images.

``store_upload`` checks a file against the allow-list of its kind by the type sniffed from its
content (``types.sniff``) and the size caps of ``settings.UPLOAD_MAX_SIZES``, stores it under a
name of ours and answers its absolute URL (model fields are URL fields). ``open_upload`` opens a
stored file by such a URL (the event export copies media with it), ``make_image_variants`` makes
the thumbnail, small, icon and large images Open Event clients show.

Raster images are stored without their metadata (``strip_metadata``): EXIF (GPS position, camera
serials), XMP, IPTC, comments and PNG text chunks go, the EXIF orientation is applied to the
pixels first, the ICC colour profile stays. Animations keep all their frames and timing.
``prepare_upload`` does the checking and stripping alone, so a request of many files can prepare
them all before storing any.

Files go to the default storage (local ``MEDIA_ROOT`` or S3, ``STORAGE_BACKEND``), or to the
``local`` storage when asked (``force_local``, Open Event's ``?force_local=true``); local files
are served by ``views.media``.
"""

import logging
import secrets
import tempfile
import warnings
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from PIL import ExifTags, Image, ImageOps, ImageSequence, UnidentifiedImageError

from openevent.core.errors import Invalid

from . import storage as storage_helpers
from . import types
from .types import ALLOWED, KINDS, NOUNS, describe, parse_name, sniff

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "PreparedUpload",
    "StoredUpload",
    "UnsupportedType",
    "UploadRejected",
    "UploadTooLarge",
    "make_image_variants",
    "open_upload",
    "prepare_upload",
    "store_upload",
    "strip_metadata",
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
#: Formats Pillow writes a stored original in once its metadata is gone (the same as uploaded).
ORIGINAL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}
#: Formats whose files may hold an animation (a JPEG's further "frames" are MPO previews and depth maps).
ANIMATED_FORMATS = ("PNG", "GIF", "WEBP")
#: What a re-saved original keeps of what Pillow read: colours, transparency, animation timing.
#: Not EXIF, XMP, IPTC, comments, PNG text chunks nor anything else a camera or editor wrote.
KEPT_INFO = ("icc_profile", "transparency", "background", "duration", "loop")
#: JPEG quality when the pixels had to be turned (otherwise the original's tables are kept).
REENCODE_QUALITY = 95
#: Orientation 1 (or none): the pixels are upright already.
UPRIGHT = 1
#: GIF frame disposal: 1 leaves the frame for the next to draw over, 2 clears it (frames with holes).
GIF_KEEP, GIF_CLEAR = 1, 2
#: A WebP file: "RIFF", its size and "WEBP", then chunks of a tag, a 32-bit size and the payload.
WEBP_HEADER_BYTES = 12
WEBP_CHUNK_HEADER_BYTES = 8
#: An animation frame chunk (ANMF) starts with 16 bytes of position and timing before its image chunks.
WEBP_FRAME_HEADER_BYTES = 16


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
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own guard fires on opening, before the size is ours to read.
        raise UploadRejected(
            f"The image has too many pixels; at most {settings.UPLOAD_IMAGE_MAX_PIXELS:,} pixels are allowed."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
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
        described = f"in {file_type.label} format" if file_type else f"a {mime} document"
        raise UnsupportedType(f"This file is {described}; allowed here: {describe(kind)}.")
    _check_size(size, kind, mime)
    if file_type.inline:
        _check_image(fileobj)
    return file_type, size


def _bare(image):
    """``image`` with nothing of its info but ``KEPT_INFO`` (what Pillow would otherwise write back)."""
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    return image


def _webp_is_lossless(data):
    """Whether the first image chunk of a WebP file is lossless (VP8L) rather than lossy (VP8)."""
    offset = WEBP_HEADER_BYTES
    while offset + WEBP_CHUNK_HEADER_BYTES <= len(data):
        tag = data[offset : offset + 4]
        size = int.from_bytes(data[offset + 4 : offset + WEBP_CHUNK_HEADER_BYTES], "little")
        if tag in (b"VP8 ", b"VP8L"):
            return tag == b"VP8L"
        if tag == b"ANMF":  # a frame: its image chunks follow its header
            offset += WEBP_CHUNK_HEADER_BYTES + WEBP_FRAME_HEADER_BYTES
            continue
        offset += WEBP_CHUNK_HEADER_BYTES + size + (size & 1)
    return False


def _save_options(opened, image_format, data, turned):
    """How to re-save ``opened`` as ``image_format`` with the least loss, the ICC profile kept."""
    options = {"icc_profile": opened.info.get("icc_profile")}
    if image_format == "JPEG":
        # "keep" re-uses the original's quantization tables and subsampling (an MPO cannot).
        keep = not turned and opened.format == "JPEG"
        options.update(quality="keep" if keep else REENCODE_QUALITY, progressive=bool(opened.info.get("progressive")))
    elif image_format == "WEBP":
        if _webp_is_lossless(data):
            options.update(lossless=True, exact=True)  # exact: the colours under transparent pixels too
        else:
            options["quality"] = REENCODE_QUALITY
    return options


def _check_frames(opened):
    frames = getattr(opened, "n_frames", 1)
    width, height = opened.size
    if frames * width * height > settings.UPLOAD_IMAGE_MAX_PIXELS:
        raise UploadRejected(
            f"The animation has {frames} frames of {width}×{height} pixels; at most "
            f"{settings.UPLOAD_IMAGE_MAX_PIXELS:,} pixels in all are allowed."
        )


def _save_animation(opened, image_format, buffer, options):
    """All frames of ``opened``, each with its own duration, looping as the original did."""
    _check_frames(opened)
    frames = [_bare(frame.copy()) for frame in ImageSequence.Iterator(opened)]
    durations = [frame.info.get("duration", 0) for frame in frames]
    if image_format == "GIF":
        # Pillow hands out whole composited frames: draw each over a cleared canvas if it has holes.
        holes = any(frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info for frame in frames)
        options["disposal"] = GIF_CLEAR if holes else GIF_KEEP
    frames[0].save(buffer, image_format, save_all=True, append_images=frames[1:], duration=durations,
                   loop=opened.info.get("loop", 0), **options)  # fmt: skip


def strip_metadata(fileobj, file_type):
    """The bytes of the raster image ``fileobj`` re-saved in its own format without metadata:
    EXIF orientation applied to the pixels, then no EXIF, XMP, IPTC, comments or text chunks;
    the ICC profile kept; every frame of an animation kept with its timing. UploadRejected if it
    cannot be read (or an animation has more than ``UPLOAD_IMAGE_MAX_PIXELS`` pixels in all)."""
    image_format = ORIGINAL_FORMATS[file_type.mime]
    fileobj.seek(0)
    data = fileobj.read()
    buffer = BytesIO()
    try:
        with Image.open(BytesIO(data)) as opened:
            orientation = opened.getexif().get(ExifTags.Base.Orientation, UPRIGHT)
            options = _save_options(opened, image_format, data, turned=orientation != UPRIGHT)
            if image_format in ANIMATED_FORMATS and getattr(opened, "is_animated", False):
                _save_animation(opened, image_format, buffer, options)
            else:
                opened.seek(0)
                image = ImageOps.exif_transpose(opened) if orientation != UPRIGHT else opened
                _bare(image).save(buffer, image_format, **options)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise UploadRejected("This image is damaged or cannot be read.") from error
    finally:
        fileobj.seek(0)
    return buffer.getvalue()


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


@dataclass(frozen=True)
class PreparedUpload:
    """A file checked against ``kind`` and ready to store (a raster image already without metadata)."""

    content: object
    kind: str
    file_type: types.FileType
    size: int
    #: Whether ``content`` is ours (the re-saved image) to close once stored, or the caller's file.
    owned: bool = False

    def close(self):
        if self.owned:
            self.content.close()


def prepare_upload(fileobj, kind):
    """``fileobj`` checked against ``kind`` (``check_upload``) and, a raster image, re-saved without
    metadata (``strip_metadata``) within the caps still: the PreparedUpload, or UploadRejected.
    Preparing every file of a request before storing any leaves none behind when one is refused."""
    file_type, size = check_upload(fileobj, kind)
    content, owned = fileobj, file_type.inline
    if owned:
        clean = strip_metadata(fileobj, file_type)
        size = len(clean)
        _check_size(size, kind, file_type.mime)
        # Handed on in the PreparedUpload, closed by its close() (store_upload calls it).
        content = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
        content.write(clean)
    content.seek(0)
    return PreparedUpload(content=content, kind=kind, file_type=file_type, size=size, owned=owned)


def store_upload(fileobj, *, kind, user=None, force_local=False):
    """Check ``fileobj`` (a seekable binary file, or a PreparedUpload of ``kind``) against ``kind``
    and store it as ``uploads/<kind>/<random token>.<extension of its sniffed type>``: the
    StoredUpload (its ``size`` that of the stored file, raster images without metadata). A
    PreparedUpload is closed once stored. InsufficientStorage (507) when the storage is full."""
    prepared = fileobj if isinstance(fileobj, PreparedUpload) else prepare_upload(fileobj, kind)
    if prepared.kind != kind:
        raise Invalid(f"This file was checked as {NOUNS[prepared.kind]}, not {NOUNS[kind]}.", field="kind")
    file_type = prepared.file_type
    storage = _storage(force_local)
    name = f"uploads/{kind}/{secrets.token_hex(TOKEN_BYTES)}.{file_type.ext}"
    try:
        prepared.content.seek(0)
        name = storage_helpers.save(storage, name, _Content(prepared.content, file_type.mime))
    finally:
        prepared.close()
    logger.info("Stored upload %s (%s, %d bytes) for user %s", name, file_type.mime, prepared.size,
                getattr(user, "pk", None))  # fmt: skip
    return StoredUpload(url=url_of(name, storage), name=name, content_type=file_type.mime, size=prepared.size)


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
        saved = storage_helpers.save(storage, variant_name, content)
        urls[variant] = url_of(saved, storage)
    return urls
