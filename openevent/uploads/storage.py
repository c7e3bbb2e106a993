"""The S3 storage of uploads: every object is written with the ``Content-Type`` of its sniffed
type (the extension of the name we gave it) and ``Content-Disposition: attachment`` unless it is
a raster image (so SVG, HTML or anything else never renders from the bucket's origin either)."""

from storages.backends.s3 import S3Storage

from .types import is_inline, type_of_name


class MediaS3Storage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        file_type = type_of_name(name)
        if file_type is not None:
            params["ContentType"] = file_type.mime
        if not is_inline(name):
            params["ContentDisposition"] = "attachment"
        return params
