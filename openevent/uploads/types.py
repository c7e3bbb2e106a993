"""What an uploaded file is: its type sniffed from the content, the kinds that allow it, and the
storage names we give files.

The type comes from the bytes (libmagic through python-magic), never from the client's file name
or ``Content-Type``. A stored name is ours, ``uploads/<kind>/<32 hex digits>[-<variant>].<ext>``,
with the extension of the sniffed type, so the name alone tells how a file may be served: its
``Content-Type`` and whether it may be shown inline (raster images only; SVG, PDF, audio and video
are served as attachments; nothing else is stored at all).
"""

import re
import zipfile
from dataclasses import dataclass

import magic

#: How many bytes libmagic reads (OOXML files are recognised by names a few entries into the zip).
SNIFF_BYTES = 64 * 1024
#: The longest ``mimetype`` entry of an OpenDocument file worth reading.
ODF_MIMETYPE_BYTES = 128


@dataclass(frozen=True)
class FileType:
    mime: str
    ext: str
    label: str
    inline: bool = False


PNG = FileType("image/png", "png", "PNG", inline=True)
JPEG = FileType("image/jpeg", "jpg", "JPEG", inline=True)
GIF = FileType("image/gif", "gif", "GIF", inline=True)
WEBP = FileType("image/webp", "webp", "WebP", inline=True)
# SVG is stored as uploaded but never served inline: an <img> shows it (browsers ignore the
# attachment disposition of subresources, and scripts never run in images), opened on its own it
# downloads, under a sandboxing policy. So no sanitizer has to be trusted.
SVG = FileType("image/svg+xml", "svg", "SVG")
PDF = FileType("application/pdf", "pdf", "PDF")
ODP = FileType("application/vnd.oasis.opendocument.presentation", "odp", "ODP")
PPTX = FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PPTX")
MP3 = FileType("audio/mpeg", "mp3", "MP3")
OGG_AUDIO = FileType("audio/ogg", "ogg", "Ogg")
WAV = FileType("audio/wav", "wav", "WAV")
M4A = FileType("audio/mp4", "m4a", "M4A")
FLAC = FileType("audio/flac", "flac", "FLAC")
MP4 = FileType("video/mp4", "mp4", "MP4")
WEBM = FileType("video/webm", "webm", "WebM")
OGG_VIDEO = FileType("video/ogg", "ogv", "Ogg")

#: The types each kind accepts, and how a refusal names them.
ALLOWED = {
    "image": (PNG, JPEG, GIF, WEBP, SVG),
    "document": (PDF,),
    "slides": (PDF, ODP, PPTX),
    "audio": (MP3, OGG_AUDIO, WAV, M4A, FLAC),
    "video": (MP4, WEBM, OGG_VIDEO),
}
NOUNS = {
    "image": "images",
    "document": "documents",
    "slides": "slides",
    "audio": "audio files",
    "video": "videos",
    "file": "files",
}
#: "file": anything some kind accepts.
ALLOWED["file"] = tuple(dict.fromkeys(kind_type for types in ALLOWED.values() for kind_type in types))
KINDS = tuple(ALLOWED)

BY_MIME = {file_type.mime: file_type for file_type in ALLOWED["file"]}
BY_EXT = {file_type.ext: file_type for file_type in ALLOWED["file"]}
#: What libmagic answers for some of our types, by its version.
ALIASES = {
    "audio/x-wav": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/x-flac": "audio/flac",
    "audio/mp3": "audio/mpeg",
    "image/svg": "image/svg+xml",
}
#: What libmagic may say of a zip-based office file it does not recognise (then its entries tell).
ZIP_TYPES = ("application/zip", "application/octet-stream", "application/x-zip-compressed")

VARIANTS = ("thumbnail", "small", "icon", "large")
NAME_PATTERN = re.compile(
    r"uploads/(?P<kind>{kinds})/(?P<token>[0-9a-f]{{32}})(?:-(?P<variant>{variants}))?\.(?P<ext>{exts})".format(
        kinds="|".join(KINDS), variants="|".join(VARIANTS), exts="|".join(BY_EXT)
    )
)


def describe(kind):
    """``PNG, JPEG, GIF, WebP or SVG images``: what ``kind`` accepts, for messages."""
    labels = list(dict.fromkeys(file_type.label for file_type in ALLOWED[kind]))
    listed = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
    return f"{listed} {NOUNS[kind]}"


def _zip_office_type(fileobj):
    """ODP or PPTX by the entries of a zip (libmagic does not always see them), else None."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(ODF_MIMETYPE_BYTES).decode("ascii", "replace").strip()
                return ODP.mime if declared == ODP.mime else None
            if "[Content_Types].xml" in names and "ppt/presentation.xml" in names:
                return PPTX.mime
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    return None


def sniff(fileobj):
    """The MIME type of a seekable binary file from its content (canonical for our types, as
    libmagic says for others). Leaves the file at its start."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    mime = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    mime = ALIASES.get(mime, mime)
    if mime in ZIP_TYPES and zipfile.is_zipfile(fileobj):
        mime = _zip_office_type(fileobj) or mime
    fileobj.seek(0)
    return mime


def parse_name(name):
    """``(kind, FileType, token, variant)`` of a storage name of ours, else None (anything else,
    other folders, dots, traversal, a type the kind does not accept)."""
    match = NAME_PATTERN.fullmatch(name or "")
    if match is None:
        return None
    file_type = BY_EXT[match["ext"]]
    if file_type not in ALLOWED[match["kind"]]:
        return None
    return match["kind"], file_type, match["token"], match["variant"]


def type_of_name(name):
    """The FileType a storage name of ours stands for, else None."""
    parsed = parse_name(name)
    return parsed[1] if parsed else None


def is_inline(name):
    """Whether the file may be shown inline when opened on its own (our raster images only)."""
    file_type = type_of_name(name)
    return bool(file_type and file_type.inline)
