"""Template helpers of the public site: moments in an event's time zone, the map link."""
import datetime
from urllib.parse import urlencode

from django import template

from openevent.core.zones import time_zone

register = template.Library()

#: How close the OpenStreetMap link zooms in on a point.
MAP_ZOOM = 17


@register.filter
def in_zone(moment, event):
    """``moment`` as the wall-clock time in ``event``'s time zone (UTC where the zone's name is
    unknown). Naive, so that the ``date`` filter shows it as it is instead of converting it to the
    site's time zone again."""
    if moment is None:
        return None
    return moment.astimezone(time_zone(getattr(event, "timezone", None)) or datetime.UTC).replace(tzinfo=None)


@register.filter
def map_url(event):
    """An OpenStreetMap link to the event's place: its coordinates, else a search for its
    location's name; "" when it has neither."""
    if event.latitude is not None and event.longitude is not None:
        lat, lon = f"{event.latitude:.6f}", f"{event.longitude:.6f}"
        return f"https://www.openstreetmap.org/?{urlencode({'mlat': lat, 'mlon': lon})}#map={MAP_ZOOM}/{lat}/{lon}"
    if event.location_name:
        return "https://www.openstreetmap.org/search?" + urlencode({"query": event.location_name})
    return ""


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with ``changes`` applied (a value of None or "" drops the key),
    for filter links and pages that keep the other parameters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
