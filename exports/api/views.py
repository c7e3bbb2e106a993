"""The job routes under /v1: a task's state (``/v1/tasks/<task>``), in Open Event's plain-JSON
shape, which its front end polls.

Only the user who started a job reads its task (security lesson 7); anyone else — another user,
an administrator, an anonymous client — is answered 404, as for a task that does not exist, so a
task id reveals nothing. Administrators see the jobs in the Django admin.

Import routes under /v1: ``POST /v1/events/import/<format>`` with a multipart ``file`` →
``{"task_url": "/v1/tasks/<task>"}``; the job's progress and result are read at that route.

Formats: ``json`` (an Open Event export zip, Open Event's route), ``frab-xml`` (a frab/C3VOC
``schedule.xml``), ``frab-json`` (a frab/C3VOC ``schedule.json``). Logged-in users only; the body
is capped before it is read (413, settings ``IMPORT_MAX_UPLOAD_SIZE``); a file that is not of the
format at all is 422 at once, anything else wrong with it fails the job with a precise error.
"""
import uuid

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFilesSent
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import MethodNotAllowed, NotAuthenticated, ParseError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from events import permissions as rules
from events.api.base import visible_event
from exports import queries
from exports.models import ExportJob, ImportJob
from exports.services import exporting, importing, jobs
from openevent.api.exceptions import RequestTooLarge
from openevent.api.parsers import PlainJsonAsJsonApiParser, PlainJsonParser
from openevent.api.permissions import Anyone, Authenticated
from openevent.api.renderers import PlainJsonAsJsonApiRenderer
from openevent.api.schema import PlainAutoSchema
from openevent.api.views import ResourceViewSet
from openevent.users.services import site_url

from .serializers import ImportJobSerializer

TASK_STATE = inline_serializer(
    "TaskState",
    {"state": serializers.CharField(), "result": serializers.JSONField(required=False),
     "progress": serializers.CharField(required=False)},
)  # fmt: skip
TASK_URL = inline_serializer("TaskUrl", {"task_url": serializers.CharField()})
MEDIA_FLAGS = inline_serializer(
    "ExportMediaFlags", {flag: serializers.BooleanField(required=False) for flag in exporting.MEDIA_FLAGS}
)


def parse_task(value):
    """The task id in the URL as a UUID (a malformed one is a task that does not exist)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("No task found.") from None


def import_result(job, request):
    """An import's SUCCESS result, Open Event's keys (its front end opens ``result.id``)."""
    event = job.event
    if event is None:  # deleted since
        return {"id": None}
    return {
        "id": event.pk,
        "identifier": event.identifier,
        "event_name": event.name,
        "url": site_url(request) + reverse("event-dashboard", args=[event.identifier]),
    }


def export_result(job, request):
    """An export's SUCCESS result: ``download_url``, the permission-checked download route."""
    return {"download_url": exporting.download_url(job, site_url(request)), "kind": job.kind}


def task_state(job, request=None):
    """The task state of an export or import job."""
    if isinstance(job, ExportJob):
        return jobs.task_state(job, lambda done: export_result(done, request), progress_as_state=False)
    return jobs.task_state(job, lambda done: import_result(done, request))


class TaskView(APIView):
    """``GET /v1/tasks/<task>``: ``{"state": "WAITING" | "<progress>" | "SUCCESS" | "FAILURE",
    "result": …, "progress": …}`` for the job's owner. SUCCESS results: an export's
    ``download_url``; an import's ``id``, ``identifier``, ``event_name`` and ``url`` of the new
    event. FAILURE: the error sentence. An export's state stays WAITING while it runs
    (``progress`` holds the text), as Open Event's front end polls an export only while it is
    WAITING; an import's state is its progress text, as Open Event's."""

    permission_classes = [Anyone]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()
    schema_tags = ["tasks"]

    @extend_schema(responses={200: TASK_STATE}, summary="The state of an import or export task")
    def get(self, request, task):
        found = queries.owned_task(request.user, parse_task(task))
        if found is None:
            raise Http404("No task found.")
        return Response(task_state(found, request).as_json())


class ExportStartView(APIView):
    """``POST /v1/events/<id>/export/<kind>`` → ``{"task_url": "/v1/tasks/<task>"}``: ``json``
    (the Open Event zip; body: the media flags ``image``, ``video``, ``document``, ``audio``),
    ``ical``, ``xcal``, ``pentabarf``, ``frab-json`` (a published schedule's file). Co-organizers
    and up (``can_export_event``); an event the user cannot see is 404.

    Open Event's front end starts the calendar exports with GET; GET is accepted for those with a
    token (``Authorization: JWT …``) only: with a session cookie a GET could be made by any page
    the browser visits (no CSRF check on GET), so a session must POST."""

    permission_classes = [Authenticated]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    parser_classes = [PlainJsonParser, PlainJsonAsJsonApiParser]
    schema = PlainAutoSchema()
    schema_tags = ["exports"]

    @extend_schema(request=MEDIA_FLAGS, responses={200: TASK_URL}, summary="Start an export")
    def post(self, request, event_pk, kind):
        event = visible_event(request.user, event_pk)
        options = request.data if kind == ExportJob.Kind.JSON else None
        job = exporting.start_export(request.user, event, kind, options)
        return Response({"task_url": reverse("task", args=[job.task])})

    @extend_schema(responses={200: TASK_URL}, summary="Start a calendar export (token clients)")
    def get(self, request, event_pk, kind):
        if kind == ExportJob.Kind.JSON or isinstance(request.successful_authenticator, SessionAuthentication):
            raise MethodNotAllowed("GET", detail="Start an export with POST.")
        return self.post(request, event_pk, kind)


class ExportDownloadView(APIView):
    """``GET /v1/events/<id>/exports/<job id>/download``: the file of a finished export job of
    that event, as an attachment, for those who may export the event (co-organizers and up, the
    job's starter among them while they hold the role). Everything else — another event's job, a
    job waiting, running or failed, a user outside the team — is 404; the storage is asked only
    for the name the job row holds (lesson 8)."""

    permission_classes = [Authenticated]
    renderer_classes = [JSONRenderer, PlainJsonAsJsonApiRenderer]
    schema = PlainAutoSchema()
    schema_tags = ["exports"]

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file")},
        summary="Download an export",
    )
    def get(self, request, event_pk, job_id):
        event = visible_event(request.user, event_pk)
        job = queries.downloadable_export(event, job_id) if rules.can_export_event(request.user, event) else None
        if job is None:
            raise Http404("No export found.")
        return exporting.file_response(job)

    def handle_exception(self, exc):
        """Someone logged out who follows the link of the "export is ready" mail in a browser (it
        asks for HTML by name) goes to the login page and back here, not to a JSON error; API
        clients still get the 401."""
        if isinstance(exc, NotAuthenticated) and "text/html" in self.request.headers.get("Accept", ""):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


class ImportJobViewSet(ResourceViewSet):
    """``/v1/import-jobs``: the requesting user's own import jobs, newest first (Open Event's front
    end lists them on its import page). Nobody else's, administrators included (lesson 7: 404);
    read-only (jobs are made by ``POST /v1/events/import/<kind>``)."""

    queryset = ImportJob.objects.all()
    serializer_class = ImportJobSerializer
    http_method_names = ["get", "head", "options"]
    policy = {"list": Authenticated, "retrieve": Authenticated}
    filterset_fields = {"created_at": ("lt", "lte", "gt", "gte")}

    def visible_queryset(self, queryset):
        user = self.request.user
        if not getattr(user, "is_authenticated", False):
            return queryset.none()
        return queryset.filter(user=user).order_by("-created_at", "-id")


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
            507: OpenApiResponse(description="The server has no room to store the file."),
        },
        summary="Import an event (Open Event zip, frab XML or JSON schedule)",
    )
    def post(self, request, kind):
        job = importing.start_import(request.user, request.FILES.get("file"), kind)
        return Response({"task_url": reverse("task", args=[job.task])})
