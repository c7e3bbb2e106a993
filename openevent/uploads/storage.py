"""Storage helpers: ``save`` (a full disk as a refusal people understand, no partial file left)
and the S3 storage of uploads, which writes every object with the ``Content-Type`` of its
sniffed type (the extension of the name we gave it) and ``Content-Disposition: attachment``
unless it is a raster image (so SVG, HTML or anything else never renders from the bucket's
origin either)."""

import errno
import logging

from storages.backends.s3 import S3Storage

from openevent.core.errors import InsufficientStorage

from .types import is_inline, type_of_name

logger = logging.getLogger(__name__)

#: The errors of a write that found no room: the file system full, the user's quota used up.
NO_ROOM = (errno.ENOSPC, errno.EDQUOT)
FULL = (
    "The server has no room to store the file right now. Nothing was saved; try again later or tell the "
    "administrators."
)


def save(storage, name, content):
    """``storage.save(name, content)``; InsufficientStorage (507) when the storage has no room,
    after deleting what the write left of the file. ``name`` must be new (every caller's name
    carries a random token), so the file removed is the one this write began."""
    try:
        return storage.save(name, content)
    except OSError as error:
        if error.errno not in NO_ROOM:
            raise
        logger.error("No room to store %s: %s", name, error)
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the partial file %s", name)
        raise InsufficientStorage(FULL) from error


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        file_type = type_of_name(name)
        if file_type is not None:
            params["ContentType"] = file_type.mime
        if not is_inline(name):
            params["ContentDisposition"] = "attachment"
        return params
