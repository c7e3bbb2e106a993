"""Organizer pages: my events, create an event, the event dashboard, my invites, and the simple
management pages of an event's program (tracks, rooms, session types, sponsors, social links, the
speakers call).

Thin views: resolve the object, ask ``events.permissions``, call ``events.services``. A refusal
from a service is shown on the form (or as a message), never as a server error.
"""
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openevent.core.errors import ServiceError
from openevent.core.pages import attempt

from . import permissions as rules
from . import services
from .forms import (
    AnswerInviteForm,
    EventForm,
    MicrolocationForm,
    SessionTypeForm,
    SocialLinkForm,
    SpeakersCallForm,
    SponsorForm,
    TrackForm,
)
from .models import (
    Event,
    Microlocation,
    Role,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
    UsersEventsRoles,
)


@login_required
def my_events(request):
    """Events where the user holds any role, each with ``my_roles``: two queries whatever the count."""
    mine = UsersEventsRoles.objects.filter(user=request.user)
    events = list(
        Event.objects.filter(id__in=mine.values("event_id")).prefetch_related(
            Prefetch("user_roles", queryset=mine.select_related("role").order_by("role_id"), to_attr="my_roles")
        )
    )
    for event in events:
        # Whether the dashboard opens, answered from the prefetched roles (no query per event).
        event.can_open = rules.can_see_event(request.user, event, held=[m.role.name for m in event.my_roles])
    return render(request, "events/my_events.html", {"events": events})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    form = EventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"“{event.name}” was created. You are its owner.")
            return redirect("event-dashboard", identifier=event.identifier)
    return render(request, "events/event_form.html", {"form": form})


def team_event(request, identifier):
    """The event, if the user may open its team's pages (dashboard, program): the rule of
    ``rules.can_see_team``, answered in its two halves: 404 where the event is hidden from them,
    403 where they can see it exists but hold no role."""
    event = get_object_or_404(Event, identifier=identifier.lower())
    if not rules.can_see_event(request.user, event):
        raise Http404("No such event.")
    if not rules.has_any_role(request.user, event):
        raise PermissionDenied("Only the event's team sees its dashboard.")
    return event


@login_required
def event_dashboard(request, identifier):
    """The event at a glance; its team is run on the team page, its settings on the settings page."""
    event = team_event(request, identifier)
    my_roles = rules.roles_at(request.user, event)
    context = {
        "event": event,
        "my_roles": [role for role in Role.objects.all() if role.name in my_roles],
        "is_admin": rules.is_admin(request.user),
        "team": services.team(event),
        "can_edit": rules.is_coorganizer(request.user, event),
    }
    return render(request, "events/dashboard.html", context)


@login_required
def my_invites(request):
    return render(request, "events/my_invites.html", {"invites": services.invites_for(request.user)})


@login_required
@require_POST
def invite_answer(request, pk):
    # Someone else's invite is not found: its existence is none of this user's business.
    invitation = get_object_or_404(RoleInvite, pk=pk, email=request.user.email.lower())
    form = AnswerInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to accept or to decline the invite.")
        return redirect("my-invites")
    try:
        answered = services.answer_invite(invitation, request.user, form.cleaned_data["status"])
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("my-invites")
    if answered.status == RoleInvite.Status.ACCEPTED:
        messages.success(request, f"You are now {answered.role.title_name} of “{answered.event.name}”.")
        return redirect("my-events")
    messages.info(request, f"You declined to be {answered.role.title_name} of “{answered.event.name}”.")
    return redirect("my-invites")


# --- helpers of the program pages (sessions_app.views uses them too) ----------------------------
def bound(request, form_class, **kwargs):
    """``form_class`` bound to the POST data, or unbound on a GET."""
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def submit(request, form, write):
    """On a POST with a valid ``form``, call ``write(form.cleaned_data)`` (a service) and return
    what it returns. ``None`` when there is nothing to do or the service refused; the refusal is
    then shown on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ServiceError as error:
        form.add_service_error(error)
        return None


# PLR0913: five of the nine are keyword-only page words; bundling them would only rename them.
def edit_page(request, event, form, write, *, instance, noun, section, cancel_url, done_url, extra=None):  # noqa: PLR0913
    """The page that creates (``instance`` is None) or edits one thing of ``event``'s program:
    ``write`` is called with the valid form's data, then the browser goes to ``done_url(saved)``.
    ``extra`` adds to the template's context (the speaker page's answers)."""
    saved = submit(request, form, write)
    if saved is not None:
        messages.success(request, f"The {noun} “{saved}” was {'created' if instance is None else 'saved'}.")
        return redirect(done_url(saved))
    context = {
        "event": event,
        "form": form,
        "section": section,
        "heading": f"New {noun}" if instance is None else f"Edit {noun} “{instance}”",
        "submit_label": f"Create {noun}" if instance is None else "Save",
        "cancel_url": cancel_url,
        **(extra or {}),
    }
    return render(request, "events/program_form.html", context)


# --- simple management pages of the program's parts ----------------------------------------------
@dataclass(frozen=True)
class Column:
    """A column of a part's table: the attribute shown, its heading, and how it is shown:
    text, excerpt (HTML cut to plain text), colour, link, when (a time at the event), yesno,
    choice (the label of a choice field) or secret (shown to co-organizers only)."""

    name: str
    label: str
    kind: str = "text"

    def value(self, obj):
        if self.kind == "choice":
            return getattr(obj, f"get_{self.name}_display")()
        return getattr(obj, self.name)


@dataclass(frozen=True)
class PartPage:
    """The pages of one kind of program part: its URL segment, model, form and words."""

    slug: str
    model: type
    form: type
    plural: str
    noun: str
    columns: tuple
    one_per_event: bool = False
    intro: str = ""

    @property
    def capitalized(self):
        return self.noun[:1].upper() + self.noun[1:]


PART_PAGES = {
    page.slug: page
    for page in (
        PartPage(
            "tracks", Track, TrackForm, "Tracks", "track",
            (Column("name", "Name"), Column("color", "Colour", "colour"),
             Column("description", "Description", "excerpt"), Column("position", "Position")),
            intro="Themes that group the sessions; each has a colour on the schedule.",
        ),
        PartPage(
            "rooms", Microlocation, MicrolocationForm, "Rooms", "room",
            (Column("name", "Name"), Column("room", "Room"), Column("floor", "Floor"),
             Column("position", "Position"), Column("hidden_in_scheduler", "Hidden in scheduler", "yesno"),
             Column("allows_parallel", "Parallel sessions", "yesno")),
            intro="Where sessions take place (microlocations).",
        ),
        PartPage(
            "session-types", SessionType, SessionTypeForm, "Session types", "session type",
            (Column("name", "Name"), Column("length", "Length"), Column("position", "Position")),
            intro="Kinds of sessions (talk, workshop, lightning talk…) with their usual length.",
        ),
        PartPage(
            "sponsors", Sponsor, SponsorForm, "Sponsors", "sponsor",
            (Column("name", "Name"), Column("level", "Level"), Column("type", "Type"),
             Column("url", "Website", "link"), Column("description", "Description", "excerpt")),
        ),
        PartPage(
            "social-links", SocialLink, SocialLinkForm, "Social links", "social link",
            (Column("name", "Name"), Column("link", "Link", "link"), Column("identifier", "Identifier")),
        ),
        PartPage(
            "speakers-call", SpeakersCall, SpeakersCallForm, "Speakers call", "speakers call",
            (Column("starts_at", "Opens", "when"), Column("soft_ends_at", "Soft deadline", "when"),
             Column("ends_at", "Closes", "when"), Column("privacy", "Privacy", "choice"),
             Column("announcement", "Announcement", "excerpt"), Column("hash", "Private link hash", "secret")),
            one_per_event=True,
            intro="The call for papers: when proposals are taken, and whether only through a private link.",
        ),
    )
}  # fmt: skip


def _part_event(request, identifier, part, manage):
    """The event of a part page and whether the user manages its ``part``s; a page that changes
    them is refused (403) to everybody else."""
    event = team_event(request, identifier)
    manages = rules.can_manage_program_part(request.user, event, part.model)
    if manage and not manages:
        raise PermissionDenied(f"You may not manage the {part.plural.lower()} of this event.")
    return event, manages


def _part_list_url(event, part):
    return reverse("part-list", args=[event.identifier, part.slug])


@login_required
def part_list(request, identifier, part):
    event, manages = _part_event(request, identifier, part, manage=False)
    show_secrets = rules.is_coorganizer(request.user, event)
    columns = [column for column in part.columns if column.kind != "secret" or show_secrets]
    parts = list(part.model.objects.filter(event=event))
    context = {
        "event": event,
        "part": part,
        "columns": columns,
        "rows": [(obj, [(column, column.value(obj)) for column in columns]) for obj in parts],
        "manages": manages,
        "can_add": manages and not (part.one_per_event and parts),
    }
    return render(request, "events/part_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def part_create(request, identifier, part):
    return _part_form(request, identifier, part, pk=None)


@login_required
@require_http_methods(["GET", "POST"])
def part_edit(request, identifier, part, pk):
    return _part_form(request, identifier, part, pk=pk)


def _part_form(request, identifier, part, pk):
    event, _ = _part_event(request, identifier, part, manage=True)
    instance = get_object_or_404(part.model, pk=pk, event=event) if pk is not None else None
    form = bound(request, part.form, instance=instance, event=event)
    if instance is None:
        def write(data):
            return services.create_part(request.user, part.model, event, **data)
    else:
        def write(data):
            return services.update_part(request.user, instance, **data)
    list_url = _part_list_url(event, part)
    return edit_page(request, event, form, write, instance=instance, noun=part.noun, section=part.plural,
                     cancel_url=list_url, done_url=lambda saved: list_url)


@login_required
@require_http_methods(["GET", "POST"])
def part_delete(request, identifier, part, pk):
    """Ask first (GET), then move the part to the trash (POST)."""
    event, _ = _part_event(request, identifier, part, manage=True)
    instance = get_object_or_404(part.model, pk=pk, event=event)
    if request.method == "POST":
        attempt(
            request, lambda: services.delete_part(request.user, instance), f"The {part.noun} “{instance}” was deleted."
        )
        return redirect(_part_list_url(event, part))
    context = {"event": event, "part": part, "object": instance, "cancel_url": _part_list_url(event, part)}
    return render(request, "events/part_confirm_delete.html", context)
