"""The read side of events: which events a user sees, and the prefetches event listings need.

Used alike by the API, the pages and the admin; the questions about one user and one event
(``is_coorganizer``, ``can_see_event``…) are the vocabulary in ``events.permissions``.
"""
import datetime

from django.db.models import BooleanField, Case, F, Prefetch, Q, Value, When
from django.utils import timezone

from openevent.core.zones import time_zone
from openevent.users.models import User

from . import permissions as rules
from .form_fields import default_fields
from .models import CustomForm, Event, Reviewer, ReviewSettings, Role, UsersEventsRoles


def visible_events_q(user, *, listing=True):
    """A Q over Event for the rows ``user`` may see.

    Lists show published public events plus the published events where the user holds a role, and
    drafts where the user is co-organizer or more. A detail lookup also finds published private
    events (someone had the link).
    """
    if rules.is_admin(user):
        return Q()
    published = Q(state=Event.State.PUBLISHED)
    q = published if not listing else published & Q(privacy=Event.Privacy.PUBLIC)
    if rules.is_authenticated(user):
        q |= published & Q(user_roles__user=user)
        q |= Q(user_roles__user=user, user_roles__role__name__in=rules.COORGANIZER_ROLES)
    return q


def visible_events(user, *, listing=True):
    ids = Event.objects.filter(visible_events_q(user, listing=listing)).values("id")
    return Event.objects.filter(id__in=ids)


def team_events(user):
    """Live events whose team ``user`` sees (``rules.can_see_team``): admins every one, others
    those where they hold a role and which they may see."""
    if rules.is_admin(user):
        return Event.objects.all()
    if not rules.is_authenticated(user):
        return Event.objects.none()
    held = UsersEventsRoles.objects.filter(user=user).values("event_id")
    return visible_events(user, listing=False).filter(id__in=held)


def events_where(user, names):
    """Live events where ``user`` holds one of ``names`` (admins: every event)."""
    if rules.is_admin(user):
        return Event.objects.all()
    ids = Event.objects.filter(user_roles__user=user, user_roles__role__name__in=names).values("id")
    return Event.objects.filter(id__in=ids)


def program_events(user):
    """Live events whose whole program ``user`` reads (``can_read_program``), as a queryset: any
    role at a published event, co-organizer or more at a draft (admins: every event)."""
    if rules.is_admin(user):
        return Event.objects.all()
    if not rules.is_authenticated(user):
        return Event.objects.none()
    ids = Event.objects.filter(
        Q(user_roles__user=user, state=Event.State.PUBLISHED)
        | Q(user_roles__user=user, user_roles__role__name__in=rules.COORGANIZER_ROLES)
    ).values("id")
    return Event.objects.filter(id__in=ids)


def public_program_events(listing):
    """Events whose public program everyone sees: published ones (``listing``: public ones only,
    as in event lists)."""
    events = Event.objects.published()
    return events.filter(privacy=Event.Privacy.PUBLIC) if listing else events


def upcoming_events():
    """Published public events that have not ended yet (``/v1/events/upcoming``)."""
    return public_program_events(listing=True).filter(ends_at__gt=timezone.now())


def owner_prefetch(path="user_roles"):
    """Prefetch an event's owner the way ``EventSerializer.get_owner`` reads it."""
    owners = UsersEventsRoles.objects.filter(role__name=Role.OWNER).select_related("user")
    return Prefetch(path, queryset=owners, to_attr="owner_roles")


def trashed_events(user):
    """Events in the trash that ``user`` may restore: where they are organizer or owner
    (administrators: all), most recently trashed first."""
    trashed = Event.all_objects.filter(deleted_at__isnull=False)
    if not rules.is_admin(user):
        trashed = trashed.filter(
            id__in=UsersEventsRoles.objects.filter(user=user, role__name__in=rules.ORGANIZER_ROLES).values("event_id")
        )
    return trashed.order_by("-deleted_at", "-id")


def sessions_outside_dates(event):
    """How many of the event's live scheduled sessions start before it starts or end after it
    ends (after its dates moved). The sessions are ``sessions_app``'s, reached by their relation."""
    scheduled = event.sessions.filter(deleted_at__isnull=True, starts_at__isnull=False)
    return scheduled.filter(Q(starts_at__lt=event.starts_at) | Q(ends_at__gt=event.ends_at)).count()


def organizers(event):
    """The people who run ``event`` and hear about it by mail: its owner, organizers and
    co-organizers (``rules.COORGANIZER_ROLES``), each once, blocked and deleted accounts left out."""
    return (
        User.objects.filter(
            event_roles__event=event, event_roles__role__name__in=rules.COORGANIZER_ROLES, is_blocked=False
        )
        .distinct()
        .order_by("pk")
    )


def local_date(moment, event):
    """The calendar day of ``moment`` in ``event``'s time zone (UTC where the name is unknown)."""
    return moment.astimezone(time_zone(event.timezone) or datetime.UTC).date()


def events_ended_yesterday(at=None):
    """Published live events that ended on the day before ``at`` (default now), each counted in
    its own time zone: an event in Singapore that ended at 23:00 local time is "yesterday's" from
    its next local midnight on. Run once a day, every event comes up exactly once."""
    at = at or timezone.now()
    # Every event whose local yesterday could be this one ended within the last 50 hours (time
    # zones reach from UTC-12 to UTC+14).
    candidates = Event.objects.published().filter(ends_at__lte=at, ends_at__gt=at - datetime.timedelta(hours=50))
    return [
        event
        for event in candidates.order_by("ends_at", "pk")
        if local_date(event.ends_at, event) == local_date(at, event) - datetime.timedelta(days=1)
    ]


# --- reviews ----------------------------------------------------------------------------------------
def review_settings(event):
    """The review settings of ``event``: its row, or an unsaved one with the defaults."""
    try:
        return event.review_settings
    except ReviewSettings.DoesNotExist:
        return ReviewSettings(event=event)


def review_scale(settings):
    """[(score, label)] of the settings' scale, lowest first; a score without a label shows as
    its number."""
    labels = settings.score_labels or {}
    scores = range(settings.score_min, settings.score_max + 1)
    return [(score, labels.get(str(score)) or str(score)) for score in scores]


def review_phase_open(settings, at=None):
    """Are reviews written and changed right now? Until ``ends_at`` (no end: always)."""
    return settings.ends_at is None or (at or timezone.now()) < settings.ends_at


def reviewers(event):
    """The reviewers of ``event`` who are still on its team, with their users and tracks."""
    return (
        Reviewer.objects.filter(event=event, user__event_roles__event=event)
        .distinct()
        .select_related("user")
        .prefetch_related("tracks")
        .order_by("user__email", "pk")
    )


def form_fields(event, form):
    """The fields of ``event``'s ``form`` ("session", "speaker"), in their order: its CustomForm
    rows, or the fields an event starts with where it has none (events made outside
    ``create_event``). Every reader of a form asks here, so all see the same fields."""
    rows = list(CustomForm.objects.filter(event=event, form=form).order_by("position", "id"))
    return rows or default_fields(event, form)


def _shown_answer(value, field_type=None):
    """How an answer reads on the organizer pages: ``("list", items)`` or ``("text", text)``."""
    if isinstance(value, bool):
        return "text", "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return "list", [str(item) for item in value]
    if field_type == CustomForm.Type.BOOLEAN and value in ("true", "false"):
        return "text", "Yes" if value == "true" else "No"
    if isinstance(value, dict):
        return "text", ", ".join(f"{key}: {item}" for key, item in value.items())
    return "text", "" if value is None else str(value)


def form_answers(fields, values):
    """The custom answers ``values`` (a session's or speaker's ``complex_field_values``) labelled
    by the custom fields among ``fields`` (``form_fields``), in form order, and the answers to
    fields since deleted (archived: labelled by their key). Returns ``(answers, archived)``, each a
    list of dicts with ``label``, ``kind`` ("list" or "text") and ``value``."""
    values = values if isinstance(values, dict) else {}
    custom = [field for field in fields if field.is_complex]
    known = {field.field_identifier for field in custom}
    answers = []
    for field in custom:
        if field.field_identifier in values and values[field.field_identifier] not in (None, "", []):
            kind, shown = _shown_answer(values[field.field_identifier], field.type)
            answers.append({"label": field.name, "kind": kind, "value": shown})
    archived = []
    for key, value in values.items():
        if key not in known:
            kind, shown = _shown_answer(value)
            archived.append({"label": key, "kind": kind, "value": shown})
    return answers, archived


def team_members(event):
    """The users who hold a role at ``event``, by e-mail address."""
    return User.objects.filter(event_roles__event=event).distinct().order_by("email")


# --- the public site --------------------------------------------------------------------------------
def public_site_events(search=""):
    """The published public events of the start page as one queryset: those not ended yet first,
    soonest first, then those that ended, latest first (each row's ``is_past`` says which);
    ``search`` narrows them to names containing it (case-insensitive)."""
    events = public_program_events(listing=True)
    search = (search or "").strip()
    if search:
        events = events.filter(name__icontains=search)
    ended = Q(ends_at__lte=timezone.now())
    return events.annotate(
        is_past=Case(When(ended, then=Value(True)), default=Value(False), output_field=BooleanField()),
        upcoming_at=Case(When(ended, then=Value(None)), default=F("starts_at")),
        ended_at=Case(When(ended, then=F("ends_at")), default=Value(None)),
    ).order_by("is_past", F("upcoming_at").asc(nulls_last=True), F("ended_at").desc(nulls_last=True), "id")


def public_event_page(event):
    """What the public event page shows besides the event: its sponsors grouped by level (lowest
    level number first, sponsors without a level last), its social links, and its live call for
    speakers when that is open to everyone. Three queries."""
    sponsors = list(event.sponsors.order_by(F("level").asc(nulls_last=True), "name", "id"))
    levels = {}
    for sponsor in sponsors:
        levels.setdefault(sponsor.level, []).append(sponsor)
    call = event.speakers_calls.first()
    open_call = call if event.is_sessions_speakers_enabled and call is not None and call.is_open() else None
    return {
        "sponsor_levels": list(levels.items()),
        "social_links": list(event.social_links.all()),
        "open_call": open_call,
    }
