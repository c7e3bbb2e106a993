"""Organizer pages of an event's sessions and speakers: the sessions table (sort, filter, search,
bulk accept/reject), a session's page and form, the speakers table and a speaker's form.

Thin views: resolve the event (``events.views.team_event``: 404 for hidden drafts, 403 without a
role), ask ``events.permissions`` (every role reads; co-organizers and up manage), write through
``sessions_app.services``. A refusal from a service is a form error or a message, never a 500.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from events import permissions as rules
from events.models import CustomForm, Event
from events.queries import form_answers, form_fields
from events.views import bound, edit_page, team_event
from openevent.core.pages import attempt

from . import services
from .forms import (
    BulkStateForm,
    PageSizeForm,
    SessionFilterForm,
    SessionForm,
    SessionStateForm,
    SpeakerForm,
)
from .models import Session, Speaker
from .queries import review_stats
from .services.listing import (
    DEFAULT_PAGE_SIZE,
    filter_sessions,
    live_targets,
    page_of,
    parse_page_size,
    parse_sort,
    sort_sessions,
    table_columns,
)


def header(columns, key, descending):
    """The table's column headings: label, the sort a click asks for, and aria-sort."""
    for column in columns:
        current = column.key == key
        yield {
            "key": column.key,
            "label": column.label,
            "numeric": column.numeric,
            "direction": ("descending" if descending else "ascending") if current else None,
            # A click on the current column reverses it; on another column sorts it ascending.
            "next": f"-{column.key}" if current and not descending else column.key,
        }


def outsider_refusal(event, manage):
    """What someone who sees ``event`` but holds no role at it is told on its program pages: these
    are the team's; a speaker proposes a session through the call for speakers page
    (``/e/<identifier>/cfp/``), if it is open."""
    if not manage:
        return "Only the event's team sees its sessions and speakers."
    team_only = "Only the event's team adds sessions and speakers here."
    closed = services.call_for_papers_refusal(event)
    if closed:
        return f"{team_only} Speakers propose sessions through its call for speakers, which takes none now: {closed}"
    return (
        f"{team_only} To propose a session, answer the event's call for speakers: "
        f"{reverse('cfp', args=[event.identifier])}"
    )


def _program_event(request, identifier, manage=False):
    """The event and whether the user manages its sessions and speakers. Every role at the event
    reads them; a page that changes them is refused (403) to readers, and to people without a
    role (a speaker, say) with where they propose sessions instead."""
    try:
        event = team_event(request, identifier)
    except PermissionDenied:
        event = Event.objects.get(identifier=identifier.lower())  # team_event found it: no role
        raise PermissionDenied(outsider_refusal(event, manage)) from None
    manages = rules.can_manage_program(request.user, event)
    if manage and not manages:
        raise PermissionDenied("Only co-organizers and up change sessions and speakers.")
    return event, manages


def _list_url(event):
    return reverse("session-list", args=[event.identifier])


def _detail_url(session):
    return reverse("session-detail", args=[session.event.identifier, session.pk])


# --- the sessions table -------------------------------------------------------------------------
def _carried(query, *dropped):
    """The query's parameters but ``dropped``, as (name, value) pairs for a GET form's hidden fields."""
    return [(name, value) for name, values in query.lists() if name not in dropped for value in values]


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request, identifier):
    """GET: one page of the table. POST: accept or reject the ticked sessions, then the same page
    of the table again."""
    event, manages = _program_event(request, identifier, manage=request.method == "POST")
    if request.method == "POST":
        bulk_change_state(request, event)
        # Back to the very table the organizer was looking at (same page, size, sort, filters, search).
        return redirect(request.get_full_path())
    tracks, session_types, rooms = (
        list(event.tracks.all()),
        list(event.session_types.all()),
        list(event.microlocations.all()),
    )
    filter_form = SessionFilterForm(request.GET, tracks=tracks, session_types=session_types, rooms=rooms)
    filters = filter_form.filters()
    # Those who manage the reviews see each session's review count and mean score.
    reviews = rules.can_manage_reviews(request.user, event)
    columns = table_columns(reviews)
    key, descending = parse_sort(request.GET.get("sort"), columns)
    size = parse_page_size(request.GET.get("size"))
    sessions = live_targets(Session.objects.filter(event=event))
    if reviews:
        sessions = sessions.annotate(**review_stats(request.user))
    sessions = sessions.prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.order_by(Lower("name"), "id").only("id", "name"))
    )
    page = page_of(sort_sessions(filter_sessions(sessions, filters), key, descending), size, request.GET.get("page"))
    sort = f"-{key}" if descending else key
    size_value = "all" if size is None else str(size)
    keep_size = {} if size == DEFAULT_PAGE_SIZE else {"size": size_value}
    context = {
        "event": event,
        "manages": manages,
        "reviews": reviews,
        "sessions": list(page),
        "page": page,
        "paged": page.paginator.num_pages > 1,
        "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "filtered": bool(filters),
        "filter_form": filter_form,
        "size_form": PageSizeForm(initial={"size": size_value}),
        "size_carried": _carried(request.GET, "size", "page"),
        "size": keep_size.get("size", ""),
        "clear_filters": urlencode({"sort": sort, **keep_size}),
        "sort": sort,
        "columns": list(header(columns, key, descending)),
        "total": page.paginator.count,
    }
    return render(request, "sessions_app/session_list.html", context)


def bulk_change_state(request, event):
    """Move each ticked session through the state machine on its own: one that may not move is
    reported and skipped, the others move."""
    form = BulkStateForm(request.POST, event=event)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    target = form.cleaned_data["action"]
    verb = BulkStateForm.ACTIONS[target]
    report = services.change_states(request.user, form.cleaned_data["sessions"], target)
    for session, why in report.refused:
        messages.error(request, f"“{session.title}” was not {target}: {why}")
    if report.changed:
        messages.success(request, f"{verb.capitalize()}ed {_count(report.changed)}: {_titles(report.changed)}.")
    if report.unchanged:
        messages.info(request, f"Already {target}: {_titles(report.unchanged)}.")


def _count(sessions):
    return f"{len(sessions)} session{'' if len(sessions) == 1 else 's'}"


def _titles(sessions):
    return ", ".join(f"“{session.title}”" for session in sessions)


# --- one session ----------------------------------------------------------------------------------
def _session(event, pk):
    queryset = live_targets(Session.objects.filter(event=event).select_related("event"), "creator")
    return get_object_or_404(queryset.prefetch_related("speakers"), pk=pk)


@login_required
def session_detail(request, identifier, pk):
    event, manages = _program_event(request, identifier)
    session = _session(event, pk)
    context = {
        "event": event,
        "session": session,
        "manages": manages,
        **_answers(event, CustomForm.Form.SESSION, session),
        "state_form": SessionStateForm(session=session) if manages else None,
        "conflicts": _conflicts(request, session),
    }
    return render(request, "sessions_app/session_detail.html", context)


def _conflicts(request, session):
    """The session's schedule conflicts for those who plan the schedule, else None (not shown)."""
    if not rules.can_see_conflicts(request.user, session.event):
        return None
    return services.session_conflicts(session)


@login_required
@require_POST
def session_state(request, identifier, pk):
    event, _ = _program_event(request, identifier, manage=True)
    session = _session(event, pk)
    form = SessionStateForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, f"Choose one of the states a {session.state} session may move to.")
        return redirect(_detail_url(session))
    old_state = session.get_state_display()
    attempt(
        request,
        lambda: services.change_state(request.user, session, form.cleaned_data["state"]),
        lambda _: f"“{session.title}” moved from {old_state} to {session.get_state_display()}.",
    )
    return redirect(_detail_url(session))


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, identifier):
    event, _ = _program_event(request, identifier, manage=True)
    form = bound(request, SessionForm, event=event)

    def write(data):
        data = dict(data)
        speakers = data.pop("speakers")
        return services.create_session(request.user, event, data, speakers=list(speakers))

    return edit_page(request, event, form, write, instance=None, noun="session", section="Sessions",
                     cancel_url=_list_url(event), done_url=_detail_url)


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, identifier, pk):
    event, _ = _program_event(request, identifier, manage=True)
    session = _session(event, pk)
    form = bound(request, SessionForm, instance=session, event=event)

    # As stored: read before the form is validated (which sets the posted values on ``session``).
    conflicts = _conflicts(request, session)

    def write(data):
        return services.update_session(request.user, session, {**data, "speakers": list(data["speakers"])})

    return edit_page(request, event, form, write, instance=session, noun="session", section="Sessions",
                     cancel_url=_detail_url(session), done_url=_detail_url, extra={"conflicts": conflicts})


# --- speakers -------------------------------------------------------------------------------------
def _speakers_url(event):
    return reverse("speaker-list", args=[event.identifier])


@login_required
def speaker_list(request, identifier):
    event, manages = _program_event(request, identifier)
    speakers = Speaker.objects.filter(event=event).order_by(Lower("name"), "id").prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by(Lower("title"), "id").only("id", "title"))
    )
    return render(request, "sessions_app/speaker_list.html", {"event": event, "manages": manages, "speakers": speakers})


@login_required
@require_http_methods(["GET", "POST"])
def speaker_create(request, identifier):
    event, _ = _program_event(request, identifier, manage=True)
    form = bound(request, SpeakerForm, event=event)
    return edit_page(
        request, event, form, lambda data: services.create_speaker(request.user, event, data),
        instance=None, noun="speaker", section="Speakers",
        cancel_url=_speakers_url(event), done_url=lambda saved: _speakers_url(event),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def speaker_edit(request, identifier, pk):
    event, _ = _program_event(request, identifier, manage=True)
    speaker = get_object_or_404(Speaker.objects.filter(event=event), pk=pk)
    form = bound(request, SpeakerForm, instance=speaker, event=event)
    return edit_page(
        request, event, form, lambda data: services.update_speaker(request.user, speaker, data),
        instance=speaker, noun="speaker", section="Speakers",
        cancel_url=_speakers_url(event), done_url=lambda saved: _speakers_url(event),
        extra=_answers(event, CustomForm.Form.SPEAKER, speaker),
    )  # fmt: skip


def _answers(event, form, row):
    """The template context of a session's or speaker's custom answers (events/includes/answers.html)."""
    answers, archived = form_answers(form_fields(event, form), row.complex_field_values)
    return {"answers": answers, "archived": archived}
