"""The one permission vocabulary of the project.

API permission classes (``openevent.api.permissions``), page views and services all ask these
questions; nothing else decides who may do what. Every question about an object is asked about the
object's event.

Role ladder: owner > organizer > coorganizer > (track_organizer, moderator, registrar).
Platform admins pass every event check.
"""
from django.db.models import Q

from .models import Event, Role, Track, UsersEventsRoles

OWNER_ROLES = {Role.OWNER}
ORGANIZER_ROLES = {Role.OWNER, Role.ORGANIZER}
COORGANIZER_ROLES = {Role.OWNER, Role.ORGANIZER, Role.COORGANIZER}
TRACK_ORGANIZER_ROLES = COORGANIZER_ROLES | {Role.TRACK_ORGANIZER}
MODERATOR_ROLES = COORGANIZER_ROLES | {Role.MODERATOR}
REGISTRAR_ROLES = COORGANIZER_ROLES | {Role.REGISTRAR}
ANY_ROLE = set(Role.NAMES)

# Which roles a holder of a role may hand out by invitation.
INVITABLE_BY = {
    Role.OWNER: set(Role.NAMES),
    Role.ORGANIZER: set(Role.NAMES) - {Role.OWNER},
    Role.COORGANIZER: {Role.COORGANIZER, Role.TRACK_ORGANIZER, Role.MODERATOR, Role.REGISTRAR},
}


def is_authenticated(user):
    return bool(user and user.is_authenticated)


def is_admin(user):
    return is_authenticated(user) and (user.is_admin or user.is_super_admin)


def is_super_admin(user):
    return is_authenticated(user) and user.is_super_admin


def can_manage_user(actor, target):
    """Accounts are changed by their owner and by admins; a super admin's account only by
    themself or another super admin."""
    if not is_authenticated(actor):
        return False
    if actor.pk == target.pk or is_super_admin(actor):
        return True
    return is_admin(actor) and not target.is_super_admin


def roles_at(user, event):
    """The set of role names ``user`` holds at ``event`` (cached on the user for the request)."""
    if not is_authenticated(user) or event is None or event.pk is None:
        return set()
    cache = user.__dict__.setdefault("_event_roles_cache", {})
    if event.pk not in cache:
        cache[event.pk] = set(
            event.user_roles.filter(user=user).values_list("role__name", flat=True)
        )
    return cache[event.pk]


def prime_roles(user, event_ids):
    """Load the role names ``user`` holds at each of ``event_ids`` into the cache ``roles_at``
    reads, with one query for all of them: a page of rows from many events then asks about each
    event without a query per row. Events already cached are not asked again."""
    if not is_authenticated(user):
        return
    cache = user.__dict__.setdefault("_event_roles_cache", {})
    missing = {pk for pk in event_ids if pk is not None and pk not in cache}
    if not missing:
        return
    held = {pk: set() for pk in missing}
    rows = UsersEventsRoles.objects.filter(user=user, event_id__in=missing).values_list("event_id", "role__name")
    for event_id, name in rows:
        held[event_id].add(name)
    cache.update(held)


def forget_roles(user):
    """Drop the cached roles after they changed within one request."""
    if is_authenticated(user):
        user.__dict__.pop("_event_roles_cache", None)


def _holds(user, event, names):
    return is_admin(user) or bool(roles_at(user, event) & names)


def is_owner(user, event):
    return _holds(user, event, OWNER_ROLES)


def is_organizer(user, event):
    return _holds(user, event, ORGANIZER_ROLES)


def is_coorganizer(user, event):
    return _holds(user, event, COORGANIZER_ROLES)


def is_track_organizer(user, event):
    return _holds(user, event, TRACK_ORGANIZER_ROLES)


def is_moderator(user, event):
    return _holds(user, event, MODERATOR_ROLES)


def is_registrar(user, event):
    return _holds(user, event, REGISTRAR_ROLES)


def has_any_role(user, event):
    return _holds(user, event, ANY_ROLE)


def is_speaker_of(user, event):
    """True when the user has a live speaker profile at the event."""
    if not is_authenticated(user):
        return False
    return event.speakers.filter(user=user).exists()


def can_read_program(user, event):
    """Everything of an event's program, private fields included: any role at the event
    (moderators and registrars read)."""
    return has_any_role(user, event)


def owns_speaker(user, speaker):
    """The speaker row is the user's own profile."""
    return is_authenticated(user) and speaker.user_id == user.pk


def owns_session(user, session):
    """The user proposed the session or is one of its speakers."""
    if not is_authenticated(user):
        return False
    if session.creator_id == user.pk:
        return True
    return session.speakers.filter(user=user).exists()


def can_invite(user, event, role_name):
    """May ``user`` invite someone to ``event`` as ``role_name``?"""
    if is_admin(user):
        return True
    return any(role_name in INVITABLE_BY.get(held, set()) for held in roles_at(user, event))


def can_see_event(user, event, held=None):
    """Drafts exist only for co-organizers and up; published events are visible to all.

    ``held`` may pass the user's role names at the event when a page has already loaded them.
    """
    if event.is_published or is_admin(user):
        return True
    held = roles_at(user, event) if held is None else set(held)
    return bool(held & COORGANIZER_ROLES)


def visible_events_q(user, *, listing=True):
    """A Q over Event for the rows ``user`` may see.

    Lists show published public events plus the published events where the user holds a role, and
    drafts where the user is co-organizer or more. A detail lookup also finds published private
    events (someone had the link).
    """
    if is_admin(user):
        return Q()
    published = Q(state=Event.State.PUBLISHED)
    q = published if not listing else published & Q(privacy=Event.Privacy.PUBLIC)
    if is_authenticated(user):
        q |= published & Q(user_roles__user=user)
        q |= Q(user_roles__user=user, user_roles__role__name__in=COORGANIZER_ROLES)
    return q


def visible_events(user, *, listing=True):
    ids = Event.objects.filter(visible_events_q(user, listing=listing)).values("id")
    return Event.objects.filter(id__in=ids)


def events_where(user, names):
    """Live events where ``user`` holds one of ``names`` (admins: every event)."""
    if is_admin(user):
        return Event.objects.all()
    ids = Event.objects.filter(user_roles__user=user, user_roles__role__name__in=names).values("id")
    return Event.objects.filter(id__in=ids)


def can_manage_program_part(user, event, model):
    """May ``user`` create, change or delete ``model`` rows (tracks, rooms, session types,
    sponsors, social links, the speakers call) of ``event``? Track organizers manage tracks;
    everything else needs a co-organizer."""
    if model is Track:
        return is_track_organizer(user, event)
    return is_coorganizer(user, event)


# --- the program: sessions and speakers -------------------------------------------------------------
def can_manage_program(user, event):
    """Create, edit, schedule, accept or delete any session or speaker of the event."""
    return is_coorganizer(user, event)


def can_edit_session(user, session):
    """Organizers edit every session; a speaker edits their own while it is unlocked."""
    if can_manage_program(user, session.event):
        return True
    return not session.is_locked and owns_session(user, session)


def can_edit_speaker(user, speaker):
    """Organizers edit every speaker; a speaker edits their own row only (a profile at another
    event grants nothing here)."""
    return can_manage_program(user, speaker.event) or owns_speaker(user, speaker)


def program_events(user):
    """Live events whose whole program ``user`` reads (``can_read_program``), as a queryset: any
    role at a published event, co-organizer or more at a draft (admins: every event)."""
    if is_admin(user):
        return Event.objects.all()
    if not is_authenticated(user):
        return Event.objects.none()
    ids = Event.objects.filter(
        Q(user_roles__user=user, state=Event.State.PUBLISHED)
        | Q(user_roles__user=user, user_roles__role__name__in=COORGANIZER_ROLES)
    ).values("id")
    return Event.objects.filter(id__in=ids)


def _public_program_events(listing):
    events = Event.objects.published()
    return events.filter(privacy=Event.Privacy.PUBLIC) if listing else events


def visible_sessions_q(user, *, listing=False):
    """A Q over Session for the rows ``user`` may see.

    Everyone: accepted and confirmed sessions of published events (``listing``: public events only,
    as in event lists). Program readers: every session of their events. A speaker: their own
    sessions (proposed by them or naming their speaker row) at published events.
    """
    from sessions_app.models import Session, Speaker

    if is_admin(user):
        return Q(event__deleted_at__isnull=True)
    q = Q(event_id__in=_public_program_events(listing).values("id"), state__in=Session.PUBLIC_STATES)
    if is_authenticated(user):
        q |= Q(event_id__in=program_events(user).values("id"))
        own = Q(creator=user) | Q(pk__in=Speaker.objects.filter(user=user).values("sessions"))
        q |= own & Q(event_id__in=Event.objects.published().values("id"))
    return q


def visible_speakers_q(user, *, listing=False):
    """A Q over Speaker for the rows ``user`` may see: the speakers of sessions everyone sees,
    every speaker of the events whose program the user reads, and the user's own rows at
    published events."""
    from django.db.models import Exists, OuterRef

    from sessions_app.models import Session

    if is_admin(user):
        return Q(event__deleted_at__isnull=True)
    public_sessions = Session.objects.filter(speakers=OuterRef("pk"), state__in=Session.PUBLIC_STATES)
    q = Q(event_id__in=_public_program_events(listing).values("id")) & Q(Exists(public_sessions))
    if is_authenticated(user):
        q |= Q(event_id__in=program_events(user).values("id"))
        q |= Q(user=user, event_id__in=Event.objects.published().values("id"))
    return q
