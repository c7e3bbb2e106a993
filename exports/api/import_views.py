"""Import routes under /v1: ``POST /v1/events/import/<format>`` with a multipart ``file`` →
``{"task_url": "/v1/tasks/<task>"}``; the job's progress and result are read at that route.

Formats: ``json`` (an Open Event export zip, Open Event's route), ``frab-xml`` (a frab/C3VOC
``schedule.xml``), ``frab-json`` (a frab/C3VOC ``schedule.json``). Logged-in users only; the body
is capped before it is read (413, settings ``IMPORT_MAX_UPLOAD_SIZE``); a file that is not of the
format at all is 422 at once, anything else wrong with it fails the job with a precise error.
"""
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers
from rest_framework.exceptions import ParseError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from exports.services import importing
from openevent.api.exceptions import RequestTooLarge
from openevent.api.permissions import Authenticated
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema

#: Room for the multipart framing around the file.
MULTIPART_ROOM = 64 * 1024


class ImportMultiPartParser(parsers.MultiPartParser):
    """Multipart bodies up to the import cap; Django's refusals as 400/413 error objects."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = importing.max_upload_size() + MULTIPART_ROOM
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestTooLarge(limit)
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise RequestTooLarge(limit) from None
        except TooManyFilesSent:
            raise ParseError("The request carries too many files.") from None
        except SuspiciousOperation as error:
            raise ParseError(f"Multipart form parse error - {error}") from None


class ImportStartView(APIView):
    """Start an import of the uploaded file as a new event of one's own."""

    permission_classes = [Authenticated]
    parser_classes = [ImportMultiPartParser]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()
    schema_tags = ["imports"]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("ImportFile", {"file": serializers.FileField()})},
        responses={
            200: inline_serializer("ImportStarted", {"task_url": serializers.CharField()}),
            401: OpenApiResponse(description="Not logged in."),
            413: OpenApiResponse(description="The file is larger than the import cap."),
            422: OpenApiResponse(description="No file, or not of the format at all."),
        },
        summary="Import an event (Open Event zip, frab XML or JSON schedule)",
    )
    def post(self, request, kind):
        job = importing.start_import(request.user, request.FILES.get("file"), kind)
        return Response({"task_url": reverse("task", args=[job.task])})
