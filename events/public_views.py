"""The public site's event-level pages: the start page (published public events) and an event's
page. Anyone may read them; drafts and private events answer 404 to those outside their team
(``rules.can_see_public_site``). The schedule, session and speaker pages are ``sessions_app``'s.
"""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import permissions as rules
from . import queries
from .models import Event

#: Events per page of the start page.
EVENTS_PER_PAGE = 24


def public_event(request, identifier):
    """The event named by ``identifier``, 404 where the visitor may not see its public pages."""
    event = get_object_or_404(Event, identifier=str(identifier).lower())
    if not rules.can_see_public_site(request.user, event):
        raise Http404("No such event.")
    return event


def home(request):
    """Published public events, upcoming first (soonest first), then past ones (latest first),
    searched by name with ``?q=`` and paged with ``?page=``: two queries whatever the count."""
    search = request.GET.get("q", "").strip()
    paginator = Paginator(queries.public_site_events(search), EVENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    events = list(page.object_list)
    context = {
        "search": search,
        "page": page,
        "upcoming": [event for event in events if not event.is_past],
        "past": [event for event in events if event.is_past],
    }
    return render(request, "public/home.html", context)


def event_page(request, identifier):
    event = public_event(request, identifier)
    context = {"event": event, **queries.public_event_page(event)}
    return render(request, "public/event.html", context)
