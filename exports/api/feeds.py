"""Live schedule feeds: ``GET /v1/events/<identifier or id>.ics`` (iCalendar), ``.xcs`` (xCal),
``.xml`` (frab/C3VOC) and ``.json`` (frab JSON), the addresses of ``Event.ical_url``,
``xcal_url`` and ``pentabarf_url`` (and the JSON next to them).

Only the released schedule of an event whose public pages the visitor may see
(``rules.can_see_public_site``: anonymous readers for a published public event, its team for the
others); else, or when the schedule is not published, a JSON:API 404. The validators:
``ETag`` names the format, the release's version and the event's ``program_version`` (bumped by
every write to its program and by each release), so an edit after a release changes it as well;
``Last-Modified`` is the later of the release's time and the event's last session change.
``If-None-Match`` / ``If-Modified-Since`` answer 304 without a body, before anything is built.
A built file is kept in Django's cache per (event, format, version, program version, site
address), so a warm feed is a cache read (``settings.API_DOCUMENT_CACHE`` off: built every time).
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from events import permissions as rules
from events.models import Event
from exports.exporters import get_exporter
from exports.exporters.data import base_url_of
from exports.queries import feed_release, last_session_change
from openevent.api.permissions import Anyone
from openevent.api.renderers import PlainJsonAsJsonApiRenderer

#: The address's extension -> the exporter's identifier.
FEED_FORMATS = {"ics": "ical", "xcs": "xcal", "xml": "pentabarf", "json": "frab-json"}
#: How long a client (or a shared cache, for public events) may keep a feed without asking again.
FEED_MAX_AGE = 300


def feed_event(user, value):
    """The live event named by numeric id or identifier ``value`` whose public pages ``user`` may
    see; 404 otherwise. One query (and the viewer's roles)."""
    rows = Event.objects.filter(pk=int(value)) if value.isdigit() else Event.objects.filter(identifier=value.lower())
    event = rows.first()
    if event is None or not rules.can_see_public_site(user, event):
        raise Http404("No event found.")
    return event


def rendered(exporter, event, version, base_url):
    """``exporter``'s file of ``event``, from the cache when this version was built before."""
    if not settings.API_DOCUMENT_CACHE:
        return exporter.render(event, base_url)
    key = f"feed:{exporter.identifier}:{event.pk}:{version}:{event.program_version}:{base_url}"
    body = cache.get(key)
    if body is None:
        body = exporter.render(event, base_url)
        cache.set(key, body, settings.API_DOCUMENT_CACHE_SECONDS)
    return body


class ScheduleFeedView(APIView):
    """One schedule feed (see the module)."""

    permission_classes = [Anyone]
    renderer_classes = [PlainJsonAsJsonApiRenderer, JSONRenderer]  # for the error documents only

    def perform_content_negotiation(self, request, force=False):
        # Calendar clients ask for text/calendar, frab apps for XML: the file answers them all.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="An event's published schedule as iCalendar (.ics), xCal (.xcs), frab XML (.xml) or frab JSON (.json)",
        parameters=[
            OpenApiParameter("event_ref", str, OpenApiParameter.PATH, description="The event's id or identifier."),
            OpenApiParameter("extension", str, OpenApiParameter.PATH, enum=sorted(FEED_FORMATS)),
        ],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="iCalendar (.ics)"),
            (200, "application/calendar+xml"): OpenApiResponse(OpenApiTypes.STR, description="xCal (.xcs)"),
            (200, "application/xml"): OpenApiResponse(OpenApiTypes.STR, description="frab XML (.xml)"),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description="frab JSON (.json)"),
            304: OpenApiResponse(description="Not modified since the ETag or date the client sent."),
        },
    )
    def get(self, request, event_ref, extension):
        event = feed_event(request.user, event_ref)
        release = feed_release(event)
        if release is None:
            raise Http404("This event's schedule is not published.")
        exporter = get_exporter(FEED_FORMATS[extension])
        etag = f'"{exporter.identifier}-{release["version"]}-{event.program_version}"'
        changed = last_session_change(event)
        last_modified = max(release["released_at"], changed) if changed else release["released_at"]
        response = get_conditional_response(request._request, etag=etag, last_modified=int(last_modified.timestamp()))
        if response is None:
            base_url = base_url_of(settings.SITE_URL or request.build_absolute_uri("/"))
            response = HttpResponse(rendered(exporter, event, release["version"], base_url),
                                    content_type=exporter.content_type)  # fmt: skip
            response["Content-Disposition"] = f'inline; filename="{exporter.filename(event)}"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified.timestamp())
        if event.privacy == Event.Privacy.PUBLIC and event.is_published:
            patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        else:
            patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response
