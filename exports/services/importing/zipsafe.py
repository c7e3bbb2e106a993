"""Reading an uploaded zip without trusting it (security lessons 16 and 19).

Everything is checked from the central directory before a byte is decompressed: the number of
members, the total uncompressed size, each member's name (no ``..``, no absolute or drive names,
no backslashes, no NULs), symlinks, encrypted members, nested archives and the compression ratio
of each member. The checks are enforced again while reading, because a header can lie: a member
that decompresses to more than it declared, or past its cap, is refused mid-read.

Nothing is ever extracted: members are read straight from the archive into memory (JSON under its
own cap) or streamed into the storage (media), so concurrent imports share no directory.
"""
import re
import stat
import zipfile
import zlib

from django.conf import settings

from exports.services.jobs import JobFailed

MEBIBYTE = 1024 * 1024
#: Members smaller than this may have any ratio (a run of spaces compresses well and harms nobody).
RATIO_FREE_SIZE = MEBIBYTE
CHUNK = 64 * 1024
DRIVE = re.compile(r"^[A-Za-z]:")
NESTED_ARCHIVE = (".zip", ".jar", ".war", ".apk", ".docx", ".xlsx", ".odt", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ENCRYPTED_FLAG = 0x1


class Refused(JobFailed):
    """The file cannot be imported; the message says why and where."""


def limit(name):
    """One of the IMPORT_MAX_* caps of the settings."""
    return getattr(settings, name)


def bad_name(name):
    """Why a member's name is refused, or None."""
    if "\x00" in name:
        return "has a NUL character in its name"
    if "\\" in name:
        return "has a backslash in its name"
    if name.startswith("/") or DRIVE.match(name):
        return "has an absolute name"
    if any(part == ".." for part in name.split("/")):
        return "points outside the archive (..)"
    return None


def _is_symlink(info):
    return stat.S_ISLNK(info.external_attr >> 16)


def _check_member(info):
    name = info.filename
    problem = bad_name(name)
    if problem is None and _is_symlink(info):
        problem = "is a symbolic link"
    if problem is None and info.flag_bits & ENCRYPTED_FLAG:
        problem = "is encrypted"
    if problem is None and name.lower().endswith(NESTED_ARCHIVE):
        problem = "is an archive inside the archive (nested archives are refused)"
    too_dense = info.file_size > limit("IMPORT_MAX_RATIO") * max(info.compress_size, 1)
    if problem is None and info.file_size > RATIO_FREE_SIZE and too_dense:
        problem = "is compressed suspiciously well (a zip bomb?)"
    if problem:
        raise Refused(f"The zip member '{name[:200]}' {problem}.")


class SafeZip:
    """An uploaded zip, checked; ``read`` and ``stream`` give a member's bytes under the caps."""

    def __init__(self, fileobj):
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise Refused("The file is not a zip archive.") from None
        infos = self.zip.infolist()
        if len(infos) > limit("IMPORT_MAX_FILES"):
            raise Refused(f"The zip has {len(infos)} files; at most {limit('IMPORT_MAX_FILES')} are accepted.")
        total = 0
        self.members = {}
        for info in infos:
            _check_member(info)
            total += info.file_size
            if not info.is_dir():
                self.members[info.filename] = info
        if total > limit("IMPORT_MAX_TOTAL_SIZE"):
            raise Refused(
                f"The zip unpacks to {total // MEBIBYTE} MB; at most {limit('IMPORT_MAX_TOTAL_SIZE') // MEBIBYTE} MB"
                " are accepted."
            )
        self.read_total = 0

    def find(self, name):
        """The member called ``name`` (at the top or in one top-level folder), or None."""
        if name in self.members:
            return self.members[name]
        for member, info in self.members.items():
            parts = member.split("/")
            if len(parts) == 2 and parts[1] == name:  # noqa: PLR2004 (folder/name)
                return info
        return None

    def chunks(self, info, cap):
        """The member's bytes, chunk by chunk; refused past ``cap``, past its declared size, or
        past the archive's total cap (a header that lies)."""
        budget = min(cap, info.file_size)
        seen = 0
        try:
            with self.zip.open(info) as member:
                while chunk := member.read(CHUNK):
                    seen += len(chunk)
                    self.read_total += len(chunk)
                    if seen > budget or self.read_total > limit("IMPORT_MAX_TOTAL_SIZE"):
                        raise Refused(f"The zip member '{info.filename}' is larger than allowed.")
                    if seen == len(chunk) and chunk.startswith(ZIP_MAGIC):
                        raise Refused(
                            f"The zip member '{info.filename}' is an archive inside the archive"
                            " (nested archives are refused)."
                        )
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise Refused(f"The zip member '{info.filename}' is damaged ({error}).") from None
        if info.file_size > cap:
            raise Refused(f"The zip member '{info.filename}' is larger than allowed.")

    def read(self, info, cap):
        if info.file_size > cap:
            raise Refused(f"The file '{info.filename}' is larger than the {cap // MEBIBYTE} MB allowed.")
        return b"".join(self.chunks(info, cap))

    def stream(self, info, cap):
        """A file-like reader of the member for a streaming parser (read(n) -> bytes)."""
        if info.file_size > cap:
            raise Refused(f"The file '{info.filename}' is larger than the {cap // MEBIBYTE} MB allowed.")
        return ChunkReader(self.chunks(info, cap))


class ChunkReader:
    """A minimal ``read(n)`` over an iterator of byte chunks."""

    def __init__(self, chunks):
        self._chunks = chunks
        self._buffer = b""

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
