"""The one permission vocabulary of the project.

API permission classes (``events.api.permissions``), page views and services all ask these
questions; nothing else decides who may do what. Which rows a user sees (querysets) is the read
side: ``events.queries`` and ``sessions_app.queries``. Every question about an object is asked about the
object's event.

Role ladder: owner > organizer > coorganizer > (track_organizer, moderator, registrar).
Platform admins pass every event check.
"""
# The account-level rules live below every app; they are part of this vocabulary (re-exported:
# `name as name` is the explicit re-export form, hence the PLC0414 noqa on each).
from openevent.core.permissions import can_manage_user as can_manage_user  # noqa: PLC0414
from openevent.core.permissions import is_admin as is_admin  # noqa: PLC0414
from openevent.core.permissions import is_authenticated as is_authenticated  # noqa: PLC0414
from openevent.core.permissions import is_super_admin as is_super_admin  # noqa: PLC0414

from .models import Reviewer, Role, Track, UsersEventsRoles

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


def can_change_role(user, membership, role_name):
    """May ``user`` turn ``membership`` into ``role_name``? Organizers (and up) may, between
    roles they may hand out by invite; ownership moves only by a hand-over."""
    event = membership.event
    names = {membership.role.name, role_name}
    return (
        Role.OWNER not in names
        and is_organizer(user, event)
        and all(can_invite(user, event, name) for name in names)
    )


def can_remove_member(user, membership):
    """May ``user`` take ``membership`` away? Anyone gives up their own role, administrators and
    those who may invite to a role take it away; the owner's role is never removed."""
    if membership.role.name == Role.OWNER:
        return False
    leaving = membership.user_id == user.pk
    return leaving or is_admin(user) or can_invite(user, membership.event, membership.role.name)


def can_see_event(user, event, held=None):
    """Drafts exist only for co-organizers and up; published events are visible to all.

    ``held`` may pass the user's role names at the event when a page has already loaded them.
    """
    if event.is_published or is_admin(user):
        return True
    held = roles_at(user, event) if held is None else set(held)
    return bool(held & COORGANIZER_ROLES)


def can_see_team(user, event):
    """Who holds which role at ``event`` (its users-events-roles rows, its organizers,
    co-organizers… relationships): its team, once they may see the event (a moderator of a draft
    sees nothing of it), and admins. The same rule as a queryset: ``queries.team_events``."""
    return has_any_role(user, event) and can_see_event(user, event)


def can_manage_program_part(user, event, model):
    """May ``user`` create, change or delete ``model`` rows (tracks, rooms, session types,
    sponsors, social links, the speakers call, the copyright) of ``event``? Track organizers manage
    tracks; everything else needs a co-organizer."""
    if model is Track:
        return is_track_organizer(user, event)
    return is_coorganizer(user, event)


# --- the program: sessions and speakers -------------------------------------------------------------
def can_manage_program(user, event):
    """Create, edit, schedule, accept or delete any session or speaker of the event."""
    return is_coorganizer(user, event)


def can_manage_schedule(user, event):
    """Place breaks and other blocks on the event's schedule, release it (a numbered version the
    public sees) and unpublish it; read the work in progress (unreleased blocks, previews)."""
    return is_coorganizer(user, event)


def can_see_conflicts(user, event):
    """Read the schedule conflicts of the event's sessions: those who plan the schedule, track
    organizers and up (a track organizer's role covers the whole event, so every session of it)."""
    return is_track_organizer(user, event)


def can_edit_session(user, session):
    """Organizers edit every session; a speaker edits their own while it is unlocked."""
    if can_manage_program(user, session.event):
        return True
    return not session.is_locked and owns_session(user, session)


def can_edit_speaker(user, speaker):
    """Organizers edit every speaker; a speaker edits their own row only (a profile at another
    event grants nothing here)."""
    return can_manage_program(user, speaker.event) or owns_speaker(user, speaker)


# --- reviews ----------------------------------------------------------------------------------------
def can_manage_reviews(user, event):
    """Mark team members as reviewers, set the scale, its labels, the end of the review phase and
    anonymity, and read every review of the event: co-organizers and up."""
    return is_coorganizer(user, event)


def reviewer_of(user, event):
    """The user's ``Reviewer`` row at ``event`` (tracks prefetched), or None. Only team members
    are reviewers: a row left behind by someone who holds no role any more counts for nothing.
    Cached on the user for the request, as the roles are."""
    if not is_authenticated(user) or event is None or event.pk is None:
        return None
    cache = user.__dict__.setdefault("_reviewer_cache", {})
    if event.pk not in cache:
        row = Reviewer.objects.filter(event=event, user=user).prefetch_related("tracks").first()
        cache[event.pk] = row if row is not None and roles_at(user, event) else None
    return cache[event.pk]


def forget_reviewer(user):
    """Drop the cached reviewer rows after they changed within one request."""
    if is_authenticated(user):
        user.__dict__.pop("_reviewer_cache", None)


def is_reviewer(user, event):
    """Has an organizer marked ``user`` (a team member) as a reviewer of ``event``?"""
    return reviewer_of(user, event) is not None


def reviews_track(reviewer, track_id):
    """Does the reviewer row cover sessions in ``track_id``? A reviewer without tracks reviews
    every session; one with tracks only theirs (a session without a track is nobody's track)."""
    tracks = {track.pk for track in reviewer.tracks.all()}
    return not tracks or track_id in tracks


def can_review(user, session):
    """May ``user`` score ``session``? A reviewer of its event, within their tracks (when they
    have any), never on a session they proposed or speak in. Whether the review phase is still
    open is the service's question (``sessions_app.services.reviews``)."""
    reviewer = reviewer_of(user, session.event)
    if reviewer is None or not reviews_track(reviewer, session.track_id):
        return False
    return not owns_session(user, session)


def can_see_reviews(user, event):
    """Does ``user`` see anything of the reviews of ``event`` (theirs at least)? Reviewers and
    those who manage reviews; never a speaker who is neither."""
    return can_manage_reviews(user, event) or is_reviewer(user, event)


# --- the public site --------------------------------------------------------------------------------
def can_see_public_site(user, event):
    """The public pages of ``event`` (``/e/<identifier>/…``): everyone sees those of a published
    public event; its team also those of a published private one (to check them), and the
    co-organizers and up those of a draft (``can_see_event``). Anyone else gets a 404."""
    if not can_see_event(user, event):
        return False
    return (event.is_published and event.privacy == event.Privacy.PUBLIC) or has_any_role(user, event)


# --- import and export ----------------------------------------------------------------------------
def can_export_event(user, event):
    """Export the whole event (the Open Event zip with speakers' e-mail addresses and private
    answers, the calendar files of the schedule) and download the event's finished exports:
    co-organizers and up, as Open Event's export routes (``is_coorganizer``)."""
    return is_coorganizer(user, event)


def can_import_event(user):
    """Import an event (an Open Event zip, a frab schedule) as a new event of one's own: any
    logged-in, active user, as anyone may create an event (Open Event's import route asks only
    for a login); the importer becomes the new event's owner."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# --- payments -------------------------------------------------------------------------------------
def can_connect_stripe(user, event):
    """Connect, replace or disconnect the event's Stripe account: its owner and organizers, as
    Open Event's stripe-authorization POST (``is_organizer``); not co-organizers."""
    return is_organizer(user, event)


def can_see_stripe_authorization(user, event):
    """Read the event's Stripe connection (the connected account's publishable key, whether one is
    linked): co-organizers and up, as Open Event's stripe-authorization detail (``is_coorganizer``)."""
    return is_coorganizer(user, event)
