"""Open Event's upload routes: ``POST /v1/upload/image`` (a base64 data URI in JSON) and
``POST /v1/upload/file`` / ``/v1/upload/files`` (multipart ``file`` or ``files[]``), for logged-in
users, throttled per user (``settings.UPLOAD_THROTTLE_RATE``). Bodies are capped before they are
read: the image route at the base64 size of the image cap, the file routes at
``settings.UPLOAD_MAX_TOTAL_SIZE``; each file then at the cap of its kind (413)."""

import base64
import binascii
import math
from io import BytesIO

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from openevent.api.exceptions import BadQueryParameter, RequestTooLarge
from openevent.api.parsers import check_depth
from openevent.api.permissions import Authenticated
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema
from openevent.core.errors import Invalid

from .. import services
from ..types import KINDS

#: Base64 grows data by 4/3; the data URI's header and the JSON around it get this much room.
BASE64_RATIO = 4 / 3
JSON_ROOM = 1024
#: The multipart fields that carry files: one file (``file``) or a list (``files[]``, ``files``).
SINGLE_FIELD = "file"
LIST_FIELDS = ("files[]", "files")


class UploadThrottle(UserRateThrottle):
    """Uploads per user at ``settings.UPLOAD_THROTTLE_RATE`` (read on every request)."""

    scope = "uploads"

    def get_rate(self):
        return settings.UPLOAD_THROTTLE_RATE


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def check_body_size(request, limit):
    """RequestTooLarge (413) when the declared body is past ``limit``: nothing is read."""
    if _declared_length(request) > limit:
        raise RequestTooLarge(limit)


def image_body_limit():
    return math.ceil(settings.UPLOAD_MAX_SIZES["image"] * BASE64_RATIO) + JSON_ROOM


class ImageJsonParser(parsers.JSONParser):
    """JSON bounded by the image cap (not ``DATA_UPLOAD_MAX_MEMORY_SIZE``), never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            check_body_size(request, image_body_limit())
        try:
            document = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document nests too deeply.") from None
        check_depth(document)
        return document


class ImageJsonAsJsonApiParser(ImageJsonParser):
    media_type = "application/vnd.api+json"


class BoundedMultiPartParser(parsers.MultiPartParser):
    """Multipart bodies up to ``UPLOAD_MAX_TOTAL_SIZE``; Django's refusals as 400/413 error objects."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        if request is not None:
            check_body_size(request, settings.UPLOAD_MAX_TOTAL_SIZE)
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise RequestTooLarge(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) from None
        except TooManyFilesSent:
            raise ParseError("The request carries too many files.") from None
        except SuspiciousOperation as error:
            raise ParseError(f"Multipart form parse error - {error}") from None


def force_local(request):
    return request.query_params.get("force_local", "false") == "true"


class UploadView(APIView):
    schema = PlainAutoSchema()
    schema_tags = ["uploads"]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    permission_classes = [Authenticated]
    throttle_classes = [UploadThrottle]


URL = inline_serializer("UploadedUrl", {"url": serializers.URLField()})
URL_OR_URLS = inline_serializer(
    "UploadedFiles",
    {"url": serializers.JSONField(help_text="The URL of the file, or the list of URLs of `files[]`.")},
)
REFUSALS = {
    400: OpenApiResponse(description="Malformed body (bad JSON, bad base64, bad multipart)."),
    401: OpenApiResponse(description="Not logged in."),
    413: OpenApiResponse(description="The body or a file is larger than its cap."),
    415: OpenApiResponse(description="The file's content is of a type not allowed here."),
    422: OpenApiResponse(description="No file, an empty or unreadable file, too many files."),
    429: OpenApiResponse(description="Too many uploads; try again later."),
    507: OpenApiResponse(description="The server has no room to store the file."),
}
FORCE_LOCAL = OpenApiParameter(
    "force_local", str, enum=["true", "false"], description="`true`: store on this server, not on S3."
)


def decode_data_uri(value):
    """The bytes of ``data:<type>;base64,<data>`` (the declared type is ignored: we sniff)."""
    if not isinstance(value, str) or not value:
        raise ValidationError({"data": ["A base64 data URI (data:image/png;base64,…) is required."]})
    header, comma, payload = value.partition(",")
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        raise ValidationError({"data": ["Must be a base64 data URI (data:image/png;base64,…)."]})
    try:
        return base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ParseError("The image data is not valid base64.") from None


class UploadImageView(UploadView):
    parser_classes = [ImageJsonParser, ImageJsonAsJsonApiParser]

    @extend_schema(
        request=inline_serializer("ImageUpload", {"data": serializers.CharField()}),
        parameters=[FORCE_LOCAL],
        responses={200: URL, **REFUSALS},
        description=(
            '`{"data": "data:image/png;base64,…"}` → `{"url": …}`: the image\'s absolute URL. The type '
            "comes from the content (PNG, JPEG, GIF, WebP, SVG; SVG is never served inline), the size cap is "
            "`UPLOAD_MAX_IMAGE_SIZE`."
        ),
    )
    def post(self, request):
        data = request.data.get("data") if isinstance(request.data, dict) else None
        raw = decode_data_uri(data)
        stored = services.store_upload(BytesIO(raw), kind="image", user=request.user, force_local=force_local(request))
        return Response({"url": stored.url})


def _kind(request):
    kind = request.query_params.get("kind", "file")
    if kind not in KINDS:
        raise BadQueryParameter("kind", f"Unknown kind {kind!r}; one of {', '.join(KINDS)}.")
    return kind


def _files(request):
    """``(files, as_list)``: the uploaded files and whether the client sent a list."""
    listed = [upload for field in LIST_FIELDS for upload in request.FILES.getlist(field)]
    single = request.FILES.getlist(SINGLE_FIELD)
    files = single + listed
    if not files:
        raise ValidationError({"file": ["No file in the request (multipart field file or files[])."]})
    if len(files) > settings.UPLOAD_MAX_FILES:
        raise ValidationError({"file": [f"At most {settings.UPLOAD_MAX_FILES} files per request."]})
    return files, bool(listed) or len(single) > 1


def _prepare_each(files, kind):
    """Every file checked (and an image stripped of its metadata) before any is stored, so a
    refused one leaves none behind."""
    prepared = []
    for number, upload in enumerate(files, start=1):
        try:
            prepared.append(services.prepare_upload(upload, kind))
        except Invalid as error:
            for ready in prepared:
                ready.close()
            if len(files) == 1:
                raise
            raise type(error)(f"File {number}: {error.message}", field=error.field) from error
    return prepared


class UploadFilesView(UploadView):
    parser_classes = [BoundedMultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "files[]": {"type": "array", "items": {"type": "string", "format": "binary"}},
                },
            }
        },
        parameters=[
            FORCE_LOCAL,
            OpenApiParameter("kind", str, enum=list(KINDS), description="What the files must be (default: file)."),
        ],
        responses={200: URL_OR_URLS, **REFUSALS},
        description=(
            'Multipart `file` (one file → `{"url": "…"}`) or `files[]` (→ `{"url": ["…", …]}`, always a list). '
            "Types come from the content, allowed per `kind`; each file is capped by its kind's size "
            "(`UPLOAD_MAX_*_SIZE`), the body by `UPLOAD_MAX_TOTAL_SIZE`, the count by `UPLOAD_MAX_FILES`."
        ),
    )
    def post(self, request):
        kind = _kind(request)
        files, as_list = _files(request)
        prepared = _prepare_each(files, kind)
        local = force_local(request)
        try:
            urls = [services.store_upload(ready, kind=kind, user=request.user, force_local=local).url
                    for ready in prepared]  # fmt: skip
        finally:
            for ready in prepared:  # those left when storing one failed
                ready.close()
        return Response({"url": urls if as_list else urls[0]})
