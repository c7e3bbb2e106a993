"""Tiny real files of every type the uploads handle, made on the spot."""

import io
import struct
import wave
import zipfile

from PIL import Image

#: EXIF tags written into test JPEGs (camera maker, GPS pointer) to see them gone from variants.
EXIF_MAKE = 0x010F
EXIF_ORIENTATION = 0x0112
WAV_RATE = 8000
WAV_FRAMES = 800


def image(fmt="PNG", size=(40, 20), color="red", exif=False, mode="RGB"):
    buffer = io.BytesIO()
    picture = Image.new(mode, size, color)
    options = {}
    if exif:
        tags = Image.Exif()
        tags[EXIF_MAKE] = "Spy Camera"
        options["exif"] = tags.tobytes()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def png(size=(40, 20)):
    return image("PNG", size)


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)
HTML = b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>"


def pdf():
    """A minimal valid PDF (one empty page), offsets computed."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def odp():
    """An OpenDocument presentation: ``mimetype`` first and stored, a manifest and content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.presentation", zipfile.ZIP_STORED
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.presentation"/></manifest:manifest>',
        )
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def pptx(content_types_first=True):
    """An Office Open XML presentation: ``[Content_Types].xml``, relationships, the presentation."""
    entries = [
        (
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.presentationml.presentation.main+xml"/></Types>',
        ),
        ("_rels/.rels", '<?xml version="1.0"?><Relationships/>'),
        ("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>'),
    ]
    if not content_types_first:
        entries.reverse()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries:
            archive.writestr(name, text)
    return buffer.getvalue()


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def wav():
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(WAV_RATE)
        out.writeframes(b"\0\0" * WAV_FRAMES)
    return buffer.getvalue()


def mp3():
    """An ID3v2 tag and two MPEG-1 layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each)."""
    frame = b"\xff\xfb\x90\x64" + b"\0" * 413
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * 2


def _box(kind, payload=b""):
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(brand=b"isom"):
    """An ISO media file: ``ftyp`` and an empty ``moov``/``mdat``."""
    ftyp = _box(b"ftyp", brand + b"\0\0\x02\0" + brand + b"mp41")
    return ftyp + _box(b"moov", _box(b"mvhd", b"\0" * 100)) + _box(b"mdat")


def m4a():
    return mp4(brand=b"M4A ")


def webm():
    """An EBML header with DocType ``webm`` and an empty Segment."""
    doctype = b"\x42\x82\x84webm"
    header = b"\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08" + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header)]) + header + b"\x18\x53\x80\x67\x80"


def _ogg_page(packet):
    return b"OggS\x00\x02" + b"\0" * 8 + b"\x01\0\0\0" + b"\0\0\0\0" + b"\0\0\0\0" + bytes([1, len(packet)]) + packet


def ogg_vorbis():
    return _ogg_page(b"\x01vorbis" + b"\0\0\0\0\x01\x44\xac\0\0" + b"\0" * 13 + b"\xb8\x01")


def ogg_theora():
    return _ogg_page(b"\x80theora\x03\x02\x01" + b"\0" * 31)


#: A first entry longer than what libmagic reads, so it sees only "a zip".
PADDING_BYTES = 70_000


def pptx_late_names():
    """A presentation whose first entry (a stored thumbnail) hides the rest from libmagic."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("docProps/thumbnail.jpeg", bytes(range(256)) * (PADDING_BYTES // 256))
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation/>')
    return buffer.getvalue()
