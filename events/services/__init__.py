"""Domain functions for events, team roles, role invitations and the parts of an event's program
(tracks, session types, rooms, sponsors, social links, the speakers call).

The one place where these objects are written; API views, pages and the admin call these functions.
"""

import copy

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from openevent.core.errors import Conflict, Invalid, NotAllowed
from openevent.core.html import sanitize_fields
from openevent.core.permissions import check_permanent_delete
from openevent.core.signals import send_after_commit
from openevent.core.zones import time_zone

from .. import images, signals, tasks
from .. import permissions as rules
from ..form_fields import default_fields
from ..models import CustomForm, Event, Role, RoleInvite, SpeakersCall, Sponsor, UsersEventsRoles, hash_token
from .reviews import drop_reviewer_off_team

ADMIN_ONLY_EVENT_FIELDS = ("is_featured", "is_promoted")


def role(name):
    try:
        return Role.objects.get(name=name)
    except Role.DoesNotExist:
        raise Invalid(f"Unknown role '{name}'.", field="role") from None


def _check_admin_fields(user, data, event=None):
    for name in ADMIN_ONLY_EVENT_FIELDS:
        changed = name in data and (event is None or getattr(event, name) != data[name])
        if changed and not rules.is_admin(user):
            raise NotAllowed("Only administrators may change this flag.", field=name)


def _check_dates(starts_at, ends_at):
    if starts_at and ends_at and ends_at <= starts_at:
        raise Invalid("The event must end after it starts.", field="ends_at")


def _check_timezone(data):
    if "timezone" in data and time_zone(data["timezone"]) is None:
        raise Invalid("Unknown time zone.", field="timezone")


# A payment method that is switched on needs what a buyer must be told: its details field (and
# how a person calls it, for the error).
PAYMENT_METHOD_DETAILS = {
    "can_pay_by_paypal": "paypal_email",
    "can_pay_by_cheque": "cheque_details",
    "can_pay_by_bank": "bank_details",
    "can_pay_onsite": "onsite_details",
}
PAYMENT_DETAILS_LABELS = {
    "paypal_email": "the PayPal e-mail address",
    "cheque_details": "the cheque details",
    "bank_details": "the bank details",
    "onsite_details": "the on-site payment details",
}
PAYMENT_METHODS = ("can_pay_by_stripe", "can_pay_by_omise", *PAYMENT_METHOD_DETAILS)
PAYMENT_FIELDS = (
    *PAYMENT_METHODS, *PAYMENT_METHOD_DETAILS.values(), "payment_currency", "payment_country",
    "is_tax_enabled", "refund_policy",
)  # fmt: skip


def _check_payment(data, event=None):
    """Codes are upper-cased and must be real ISO 4217 / ISO 3166 codes; a method that is on needs
    its details and a currency. Checked on the event as it will be, only when a payment field changes."""
    if not any(name in data for name in PAYMENT_FIELDS):
        return
    codes = (
        ("payment_currency", "currency", pycountry.currencies, "alpha_3"),
        ("payment_country", "country", pycountry.countries, "alpha_2"),
    )
    for name, noun, database, key in codes:
        if data.get(name):
            code = data[name] = str(data[name]).strip().upper()
            if database.get(**{key: code}) is None:
                raise Invalid(f"'{code}' is not a known {noun} code.", field=name)

    def value(name):
        return data[name] if name in data else getattr(event, name, None)

    for method, details in PAYMENT_METHOD_DETAILS.items():
        if value(method) and not (value(details) or "").strip():
            label = PAYMENT_DETAILS_LABELS[details]
            raise Invalid(f"Say how to pay: give {label} when this method is on.", field=details)
    if any(value(method) for method in PAYMENT_METHODS) and not value("payment_currency"):
        raise Invalid("Choose the currency buyers pay in.", field="payment_currency")


def publishing_problems(event):
    """What ``event`` still lacks to be published, as ``(field, message)`` pairs (none: it may be).

    The rule of Open Event: a published event has a name and its dates, and an event that is not
    online has a location people can go to. The settings page shows these before the organizer
    presses "Publish"; ``create_event`` and ``update_event`` refuse a published event that has any.
    """
    problems = []
    if not (event.name or "").strip():
        problems.append(("name", "Give the event a name."))
    if event.starts_at is None or event.ends_at is None:
        problems.append(("starts_at", "Set when the event starts and ends."))
    if not event.online and not (event.location_name or "").strip():
        problems.append(("location_name", "Say where the event takes place, or mark it as online."))
    return problems


def _with(event, data):
    """A copy of ``event`` with ``data`` applied (nothing saved)."""
    changed = copy.copy(event)
    for name, value in data.items():
        setattr(changed, name, value)
    return changed


def _check_publishable(event):
    problems = publishing_problems(event)
    if event.is_published and problems:
        field, message = problems[0]
        raise Invalid(f"The event cannot be published yet: {message}", field=field)


@transaction.atomic
def create_event(user, **data):
    """Create an event; its creator becomes its owner."""
    _check_timezone(data)
    _check_payment(data)
    _check_dates(data.get("starts_at"), data.get("ends_at"))
    _check_admin_fields(user, data)
    sanitize_fields(data, Event.HTML_FIELDS)
    _check_publishable(Event(**data))
    new_logo = images.EVENT_LOGO.take(None, data)
    event = Event.objects.create(**data)
    images.schedule_variants(tasks.task_make_event_images, event.pk, images.EVENT_IMAGE.changed(None, data))
    images.schedule_variants(tasks.task_make_event_logo, event.pk, new_logo)
    UsersEventsRoles.objects.create(user=user, event=event, role=role(Role.OWNER))
    CustomForm.objects.bulk_create(default_fields(event))
    rules.forget_roles(user)
    if event.is_published:
        send_after_commit(signals.event_published, Event, event=event, actor=user)
    return event


@transaction.atomic
def update_event(user, event, **data):
    _check_timezone(data)
    _check_payment(data, event)
    _check_dates(data.get("starts_at", event.starts_at), data.get("ends_at", event.ends_at))
    _check_admin_fields(user, data, event)
    was_published = event.is_published
    had_schedule = event.schedule_published_on is not None
    sanitize_fields(data, Event.HTML_FIELDS)
    # Checked on the event as it will be, before the caller's instance changes.
    _check_publishable(_with(event, data))
    new_image = images.EVENT_IMAGE.changed(event, data)
    new_logo = images.EVENT_LOGO.take(event, data)
    for name, value in data.items():
        setattr(event, name, value)
    event.save()
    images.schedule_variants(tasks.task_make_event_images, event.pk, new_image)
    images.schedule_variants(tasks.task_make_event_logo, event.pk, new_logo)
    if event.is_published and not was_published:
        send_after_commit(signals.event_published, Event, event=event, actor=user)
    if event.schedule_published_on is not None and not had_schedule:
        send_after_commit(signals.schedule_published, Event, event=event)
    send_after_commit(signals.event_updated, Event, event=event, actor=user)
    return event


@transaction.atomic
def delete_event(actor, event, permanent=False):
    """The owner moves an event to the trash; only administrators delete it for good."""
    check_permanent_delete(actor, permanent)
    if not rules.is_owner(actor, event):
        raise NotAllowed("Only the owner may delete this event.")
    event.remove(permanent)
    send_after_commit(signals.event_deleted, Event, event=event, actor=actor, permanent=permanent)


@transaction.atomic
def restore_event(actor, event):
    """Organizers (and administrators) take their event out of the trash."""
    if not rules.is_organizer(actor, event):
        raise NotAllowed("Only the event's organizers may restore it.")
    event.restore()
    send_after_commit(signals.event_restored, Event, event=event, actor=actor)
    return event


def publish_schedule(user, event):
    """Make the schedule public; unpublished is ``schedule_published_on = None``, never a sentinel."""
    return update_event(user, event, schedule_published_on=timezone.now())


def unpublish_schedule(user, event):
    return update_event(user, event, schedule_published_on=None)


# --- team ---------------------------------------------------------------------------------------
def team(event):
    return (
        UsersEventsRoles.objects.filter(event=event).select_related("user", "role").order_by("role_id", "user__email")
    )


def _team_role(name_or_role):
    wanted = name_or_role if isinstance(name_or_role, Role) else role(name_or_role)
    if wanted.name == Role.OWNER:
        raise NotAllowed("Ownership moves only by an accepted owner invite.", field="role")
    return wanted


def _save_membership(membership):
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        raise Conflict("This would duplicate an existing object.") from None
    rules.forget_roles(membership.user)
    return membership


@transaction.atomic
def add_to_team(actor, event, user, role_name):
    """Give ``user`` a role at ``event`` without an invite: administrators only (everybody else
    invites). Ownership moves only by an accepted owner invite."""
    wanted = _team_role(role_name)
    if not rules.is_admin(actor):
        raise NotAllowed("Only administrators add team members directly; invite everybody else.")
    return _save_membership(UsersEventsRoles(user=user, event=event, role=wanted))


@transaction.atomic
def change_membership(actor, membership, user=None, role=None, event=None):
    """Administrators re-point a team row to another user or role (``role``: a Role or its
    name); it stays with its event, and the owner's row moves only by an accepted owner invite."""
    if not rules.is_admin(actor):
        raise NotAllowed("Team rows are never re-pointed; remove the role and invite again.")
    if event is not None and event.pk != membership.event_id:
        raise NotAllowed("A team row cannot move to another event.", field="event")
    if membership.role.name == Role.OWNER:
        raise NotAllowed("Ownership moves only by an accepted owner invite.", field="role")
    before = membership.user
    if role is not None:
        membership.role = _team_role(role)
    if user is not None:
        membership.user = user
    _save_membership(membership)
    rules.forget_roles(before)
    drop_reviewer_off_team(membership.event, before)
    return membership


def _hand_over(event, user):
    """Make ``user`` the owner of ``event``; whoever owned it before stays on as organizer."""
    previous = UsersEventsRoles.objects.select_for_update().filter(event=event, role__name=Role.OWNER)
    organizer = role(Role.ORGANIZER)
    for membership in previous:
        if membership.user_id != user.pk:
            UsersEventsRoles.objects.get_or_create(user_id=membership.user_id, event=event, role=organizer)
            rules.forget_roles(membership.user)
    previous.exclude(user=user).delete()
    UsersEventsRoles.objects.get_or_create(user=user, event=event, role=role(Role.OWNER))
    rules.forget_roles(user)


@transaction.atomic
def transfer_ownership(actor, event, new_owner):
    """The owner (or an administrator) hands ``event`` over to ``new_owner``, who already holds a
    role there (anybody else gets an owner invite, and takes over by accepting it). The previous
    owner becomes organizer."""
    if not rules.is_owner(actor, event):
        raise NotAllowed("Only the owner may hand over this event.")
    members = UsersEventsRoles.objects.filter(event=event, user=new_owner)
    if not members.exists():
        raise Invalid("Hand the event over to a member of its team, or invite the new owner.", field="user")
    if members.filter(role__name=Role.OWNER).exists():
        raise Invalid(f"{new_owner.email} already owns this event.", field="user")
    if not new_owner.is_active:
        # A blocked or trashed account cannot log in: the event would be left without an owner.
        raise Invalid(f"{new_owner.email} is blocked or deleted and cannot own this event.", field="user")
    _hand_over(event, new_owner)
    send_after_commit(signals.event_updated, Event, event=event, actor=actor)


@transaction.atomic
def change_role(actor, membership, role_name):
    """Organizers move a team member from one role to another (the row keeps its user and event)."""
    wanted = role(role_name)
    if Role.OWNER in {membership.role.name, wanted.name}:
        raise NotAllowed("Ownership moves only by handing the event over.", field="role")
    if not rules.can_change_role(actor, membership, wanted.name):
        raise NotAllowed(f"You may not make this member {wanted.title_name}.", field="role")
    if wanted.pk == membership.role_id:
        return membership
    membership.role = wanted
    return _save_membership(membership)


@transaction.atomic
def remove_from_team(actor, membership):
    """Take a role away (or give up one's own). The owner's role is never removed: it moves by a
    hand-over (``transfer_ownership``) or an accepted owner invite."""
    if membership.role.name == Role.OWNER:
        raise NotAllowed("The owner cannot be removed; hand the event over to someone else first.")
    if not rules.can_remove_member(actor, membership):
        raise NotAllowed("You may not remove this role.")
    membership.delete()
    rules.forget_roles(membership.user)
    # Reviewers are team members: whoever holds no role here any more reviews no longer.
    drop_reviewer_off_team(membership.event, membership.user)


@transaction.atomic
def leave_event(actor, event):
    """``actor`` gives up every role they hold at ``event``; the owner hands the event over first."""
    mine = list(UsersEventsRoles.objects.filter(event=event, user=actor).select_related("role", "user", "event"))
    if not mine:
        raise Invalid("You hold no role at this event.")
    if any(membership.role.name == Role.OWNER for membership in mine):
        raise NotAllowed("The owner cannot leave; hand the event over to someone else first.")
    for membership in mine:
        remove_from_team(actor, membership)


@transaction.atomic
def rename_role(actor, role_row, title_name):
    """Administrators reword a role's title; its name is what the code checks and never changes."""
    if not rules.is_admin(actor):
        raise NotAllowed("Only administrators rename roles.")
    if not (title_name or "").strip():
        raise Invalid("A role needs a title.", field="title_name")
    role_row.title_name = title_name.strip()
    role_row.save(update_fields=["title_name"])
    return role_row


# --- invites ------------------------------------------------------------------------------------
def _normalize(email):
    return (email or "").strip().lower()


@transaction.atomic
def invite(actor, event, email, role_name):
    """Invite ``email`` to hold ``role_name`` at ``event``. Returns the invite."""
    email = _normalize(email)
    wanted = role(role_name)
    if not rules.can_invite(actor, event, wanted.name):
        raise NotAllowed(f"You may not invite someone as {wanted.title_name}.", field="role")
    if UsersEventsRoles.objects.filter(event=event, role=wanted, user__email=email).exists():
        raise Conflict(f"{email} already is {wanted.title_name} of this event.", field="email")
    if RoleInvite.objects.filter(event=event, role=wanted, email=email, status=RoleInvite.Status.PENDING).exists():
        raise Conflict(f"{email} already has a pending invite for this role.", field="email")
    now = timezone.now()
    invitation = RoleInvite(
        event=event,
        email=email,
        role=wanted,
        invited_by=actor,
        created_at=now,
        expires_at=now + settings.ROLE_INVITE_LIFETIME,
    )
    token = invitation.set_new_token()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise Conflict(f"{email} already has a pending invite for this role.", field="email") from None
    send_after_commit(signals.role_invite_created, RoleInvite, invite=invitation, token=token)
    # Kept on the instance only (never stored): the page shows the link once to pass on.
    invitation.token = token
    return invitation


@transaction.atomic
def resend_invite(actor, invitation):
    """A pending invite gets a fresh token and a fresh lifetime; the old link stops working.
    Returns the invite, carrying the new token in ``token`` (in memory only)."""
    locked = RoleInvite.objects.select_for_update().select_related("role", "event").get(pk=invitation.pk)
    if not rules.can_invite(actor, locked.event, locked.role.name):
        raise NotAllowed("You may not resend this invite.")
    if locked.status != RoleInvite.Status.PENDING:
        raise Conflict(f"This invite was already {locked.status}.", field="status")
    token = locked.set_new_token()
    locked.expires_at = timezone.now() + settings.ROLE_INVITE_LIFETIME
    locked.save(update_fields=["token_hash", "expires_at"])
    send_after_commit(signals.role_invite_created, RoleInvite, invite=locked, token=token, resent=True)
    locked.token = token
    return locked


def pending_invite_by_token(token):
    """The pending invite an invite link's ``token`` opens, or None."""
    return (
        RoleInvite.objects.filter(token_hash=hash_token(token or ""), status=RoleInvite.Status.PENDING)
        .select_related("event", "role")
        .first()
    )


def _locked_pending(invitation, user):
    """Lock the invite row and check that ``user`` may answer it now: the invite is addressed to
    the user's verified e-mail address and still pending."""
    locked = RoleInvite.objects.select_for_update().select_related("role", "event").get(pk=invitation.pk)
    if _normalize(user.email) != locked.email:
        raise NotAllowed("This invite is addressed to another e-mail address.")
    if not user.is_verified:
        # Anyone may register (or rename their account to) any address; only a verified one
        # proves that the invite reached this user.
        raise NotAllowed(
            f"Verify your e-mail address first: open the link we mailed to {locked.email} "
            "(or ask for a new verification mail), then answer this invite."
        )
    if locked.status != RoleInvite.Status.PENDING:
        raise Conflict(f"This invite was already {locked.status}.", field="status")
    if locked.is_expired:
        raise Invalid("This invite has expired; ask the organizer for a new one.", field="status")
    if locked.event.deleted_at is not None:
        raise Invalid("The event of this invite no longer exists.", field="status")
    return locked


@transaction.atomic
def accept_invite(invitation, user):
    """The invitee takes the role. An owner invite hands ownership over; the old owner stays on
    as organizer."""
    locked = _locked_pending(invitation, user)
    event = locked.event
    if locked.role.name == Role.OWNER:
        _hand_over(event, user)
    else:
        UsersEventsRoles.objects.get_or_create(user=user, event=event, role=locked.role)
    locked.status = RoleInvite.Status.ACCEPTED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    rules.forget_roles(user)
    send_after_commit(signals.role_invite_accepted, RoleInvite, invite=locked, user=user)
    return locked


@transaction.atomic
def decline_invite(invitation, user):
    locked = _locked_pending(invitation, user)
    locked.status = RoleInvite.Status.DECLINED
    locked.responded_at = timezone.now()
    locked.save(update_fields=["status", "responded_at"])
    send_after_commit(signals.role_invite_declined, RoleInvite, invite=locked, user=user)
    return locked


def answer_invite(invitation, user, status):
    if status == RoleInvite.Status.ACCEPTED:
        return accept_invite(invitation, user)
    if status == RoleInvite.Status.DECLINED:
        return decline_invite(invitation, user)
    raise Invalid("An invite can only be accepted or declined.", field="status")


@transaction.atomic
def edit_invite(actor, invitation, email=None, role_name=None):
    """Organizers change the address or role of a pending invite."""
    locked = RoleInvite.objects.select_for_update().select_related("role").get(pk=invitation.pk)
    if locked.status != RoleInvite.Status.PENDING:
        raise Conflict("Only pending invites can be changed.", field="status")
    if not rules.can_invite(actor, locked.event, locked.role.name):
        raise NotAllowed("You may not change this invite.")
    if role_name is not None:
        wanted = role(role_name)
        if not rules.can_invite(actor, locked.event, wanted.name):
            raise NotAllowed(f"You may not invite someone as {wanted.title_name}.", field="role")
        locked.role = wanted
    if email is not None:
        locked.email = _normalize(email)
    clash = RoleInvite.objects.filter(
        event=locked.event, email=locked.email, role=locked.role, status=RoleInvite.Status.PENDING
    ).exclude(pk=locked.pk)
    if clash.exists():
        raise Conflict(f"{locked.email} already has a pending invite for this role.", field="email")
    locked.save()
    return locked


def update_invite(actor, invitation, data):
    """A PATCH of an invite: the invitee answers it (``status`` and nothing else), or the event's
    organizers change its address or role (``email``, ``role_name``). Its event and role
    relationships never change. Returns the invite."""
    data = dict(data)
    for relation in ("event", "role"):
        if relation in data and data.pop(relation) != getattr(invitation, relation):
            raise NotAllowed(f"The {relation} of an invite cannot be changed.", field=relation)
    status = data.pop("status", None)
    if status is not None and not status == invitation.status == RoleInvite.Status.PENDING:
        if data:
            raise NotAllowed("Answering an invite changes its status and nothing else.", field="status")
        return answer_invite(invitation, actor, status)
    if not data:
        return invitation
    if not rules.is_coorganizer(actor, invitation.event):
        raise NotAllowed("Only the event's organizers may change an invite.")
    return edit_invite(actor, invitation, email=data.get("email"), role_name=data.get("role_name"))


@transaction.atomic
def revise_invite(actor, invitation, status=None, expires_at=None):
    """Administrators withdraw (decline) or reopen an invite, or change when it expires. Only the
    invitee accepts an invite: that is what gives the role."""
    if not rules.is_admin(actor):
        raise NotAllowed("Only administrators revise invites.")
    if status is not None and status != invitation.status:
        if status == RoleInvite.Status.ACCEPTED:
            raise Invalid("Only the invitee accepts an invite.", field="status")
        invitation.status = status
    if expires_at is not None:
        invitation.expires_at = expires_at
    try:
        with transaction.atomic():
            invitation.save(update_fields=["status", "expires_at"])
    except IntegrityError:
        raise Conflict(f"{invitation.email} already has a pending invite for this role.", field="status") from None
    return invitation


@transaction.atomic
def delete_invite(actor, invitation):
    if not rules.can_invite(actor, invitation.event, invitation.role.name):
        raise NotAllowed("You may not delete this invite.")
    invitation.delete()


def invites_for(user):
    """Pending, unexpired invites addressed to ``user`` on live events; none until the user has
    proved the address is theirs (an unverified account may be claiming someone else's)."""
    if not user.is_verified:
        return RoleInvite.objects.none()
    return (
        RoleInvite.objects.filter(
            email=_normalize(user.email),
            status=RoleInvite.Status.PENDING,
            expires_at__gt=timezone.now(),
            event__deleted_at__isnull=True,
        )
        .select_related("event", "role", "invited_by")
        .order_by("-created_at")
    )


# --- the program's parts: tracks, session types, rooms, sponsors, social links, speakers call -----
#: Fields holding user HTML, sanitized on the way in.
def _label(model):
    return model._meta.verbose_name


def _require_manager(actor, model, event):
    if not rules.can_manage_program_part(actor, event, model):
        raise NotAllowed(f"You may not manage the {_label(model)}s of this event.")


def _cleaned(model, data):
    return sanitize_fields(dict(data), getattr(model, "HTML_FIELDS", ()))


def _logo_of(model, part, data):
    """A sponsor's write: its logo variant prepared (``images.ImageFields.take``), the new logo to
    make it from (None: no new one, or not a sponsor)."""
    return images.SPONSOR_LOGO.take(part, data) if model is Sponsor else None


def _validate(part):
    """Run the model's field validators (pages and imports call us without a serializer)."""
    try:
        part.full_clean(exclude=["event"], validate_unique=False, validate_constraints=False)
    except DjangoValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Invalid(messages[0], field=None if field == "__all__" else field) from None


def check_call_times(starts_at, soft_ends_at, ends_at):
    """A speakers call ends after it starts; its soft end lies between the two. (Forms ask this
    early to show the error on its field; the write asks it again.)"""
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        raise Invalid("The call must end after it starts.", field="ends_at")
    if soft_ends_at is not None and not starts_at <= soft_ends_at <= ends_at:
        raise Invalid("The soft end must lie between the start and the end of the call.", field="soft_ends_at")


def _check_one_live(part):
    """Parts with ``ONE_PER_EVENT`` (the speakers call, the copyright) have one live row per event."""
    model = part.__class__
    if not getattr(model, "ONE_PER_EVENT", False):
        return
    if model.objects.filter(event_id=part.event_id).exclude(pk=part.pk).exists():
        raise Conflict(f"This event already has a {_label(model)}.", field="event")


def _save(part):
    _validate(part)
    if isinstance(part, SpeakersCall):
        check_call_times(part.starts_at, part.soft_ends_at, part.ends_at)
    _check_one_live(part)
    try:
        with transaction.atomic():
            part.save()
    except IntegrityError:
        raise Conflict(f"This {_label(part.__class__)} clashes with an existing one.") from None
    return part


@transaction.atomic
def create_part(actor, model, event, **data):
    """Create a ``model`` row (Track, SessionType, Microlocation, Sponsor, SocialLink,
    SpeakersCall, EventCopyright) of ``event``."""
    _require_manager(actor, model, event)
    data = _cleaned(model, data)
    new_logo = _logo_of(model, None, data)
    part = _save(model(event=event, **data))
    images.schedule_variants(tasks.task_make_sponsor_logo, part.pk, new_logo)
    send_after_commit(signals.part_created, model, part=part, actor=actor)
    return part


@transaction.atomic
def update_part(actor, part, **data):
    """Change a live part; it stays with its event."""
    model = part.__class__
    _require_manager(actor, model, part.event)
    event = data.pop("event", part.event)
    if event.pk != part.event_id:
        raise NotAllowed(f"A {_label(model)} cannot move to another event.", field="event")
    data = _cleaned(model, data)
    new_logo = _logo_of(model, part, data)
    for name, value in data.items():
        setattr(part, name, value)
    _save(part)
    images.schedule_variants(tasks.task_make_sponsor_logo, part.pk, new_logo)
    send_after_commit(signals.part_updated, model, part=part, actor=actor)
    return part


@transaction.atomic
def delete_part(actor, part, permanent=False):
    """Move a part to the trash, or (administrators only) delete it for good."""
    _require_manager(actor, part.__class__, part.event)
    check_permanent_delete(actor, permanent)
    part.remove(permanent)
    send_after_commit(signals.part_deleted, part.__class__, part=part, actor=actor, permanent=permanent)


@transaction.atomic
def restore_part(actor, part):
    """Take a part out of the trash (a second live speakers call or copyright is a conflict)."""
    model = part.__class__
    _require_manager(actor, model, part.event)
    _check_one_live(part)
    try:
        with transaction.atomic():
            part.restore()
    except IntegrityError:
        raise Conflict(f"This {_label(model)} clashes with an existing one.") from None
    send_after_commit(signals.part_restored, model, part=part, actor=actor)
    return part
