"""The pages where organizers run an event: its settings (edit, publish, trash and restore, hand
over) and its team (roles, removals, leaving, invites).

Thin views as in ``events.views``: resolve the event, ask ``events.permissions`` (403 for the wrong
user), call ``events.services``; a refusal from a service is shown on the form or as a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST

from openevent.core.errors import ServiceError
from openevent.core.pages import attempt

from . import permissions as rules
from . import queries, services
from .forms import EventSettingsForm, HandOverForm, InviteForm, RoleChangeForm
from .models import Event, Role, RoleInvite, StripeAuthorization, UsersEventsRoles
from .services import stripe as stripe_services
from .views import team_event


def _settings_url(event):
    return reverse("event-settings", args=[event.identifier])


def _team_url(event):
    return reverse("event-team", args=[event.identifier])


def _require(allowed, reason):
    if not allowed:
        raise PermissionDenied(reason)


# --- settings -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def event_settings(request, identifier):
    event = team_event(request, identifier)
    _require(rules.is_coorganizer(request.user, event), "Only co-organizers and up change the event's settings.")
    admin = rules.is_admin(request.user)
    form = EventSettingsForm(request.POST if request.method == "POST" else None, event=event, admin=admin)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(request.user, event, **form.cleaned_data)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"The settings of “{event.name}” were saved.")
            outside = queries.sessions_outside_dates(event)
            if outside:
                messages.warning(
                    request,
                    f"{outside} scheduled session{'s now lie' if outside > 1 else ' now lies'} outside the "
                    "event's dates; move them in the sessions list.",
                )
            return redirect("event-settings", identifier=event.identifier)
    context = {
        "event": event,
        "form": form,
        "section": "Settings",
        "publishing_problems": [message for _, message in services.publishing_problems(event)],
        "is_owner": rules.is_owner(request.user, event),
        "stripe": {
            "available": stripe_services.is_available(),
            "may_connect": rules.can_connect_stripe(request.user, event),
            "authorization": StripeAuthorization.objects.filter(event=event).first(),
        },
    }
    return render(request, "events/event_settings.html", context)


# --- Stripe Connect -------------------------------------------------------------------------------
@login_required
@require_POST
def stripe_connect(request, identifier):
    """Off to Stripe's authorize page, with a signed state for this user and event."""
    event = team_event(request, identifier)
    _require(rules.can_connect_stripe(request.user, event), "Only the owner and organizers connect Stripe.")
    callback = request.build_absolute_uri(reverse("stripe-callback"))
    try:
        return redirect(stripe_services.authorize_url(request.user, event, callback))
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(_settings_url(event))


@login_required
@require_http_methods(["GET"])
def stripe_callback(request):
    """Where Stripe sends the organizer back: ``?code&state``, or ``?error&error_description``."""
    state = request.GET.get("state", "")
    try:
        event = stripe_services.event_of_state(state)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("my-events")
    event = team_event(request, event.identifier)
    if request.GET.get("error"):
        words = request.GET.get("error_description") or request.GET["error"]
        denied = "you cancelled the connection" if request.GET["error"] == "access_denied" else words
        messages.error(request, f"Stripe is not connected: {denied}.")
        return redirect(_settings_url(event))
    attempt(
        request,
        lambda: stripe_services.connect(request.user, event, request.GET.get("code", ""), state=state),
        lambda authorization: f"“{event.name}” is connected to the Stripe account {authorization.stripe_user_id}.",
    )
    return redirect(_settings_url(event))


@login_required
@require_POST
def stripe_disconnect(request, identifier):
    event = team_event(request, identifier)
    _require(rules.can_connect_stripe(request.user, event), "Only the owner and organizers disconnect Stripe.")
    attempt(
        request,
        lambda: stripe_services.disconnect(request.user, event),
        f"“{event.name}” is no longer connected to Stripe.",
    )
    return redirect(_settings_url(event))


@login_required
@require_POST
def event_publish(request, identifier):
    """Publish (``state=published``) or unpublish (``state=draft``) the event."""
    event = team_event(request, identifier)
    _require(rules.is_coorganizer(request.user, event), "Only co-organizers and up publish the event.")
    state = request.POST.get("state")
    if state not in Event.State.values:
        messages.error(request, "Choose to publish or to unpublish the event.")
        return redirect(_settings_url(event))
    done = {True: "published: everybody can find it now", False: "back to a draft"}
    attempt(
        request,
        lambda: services.update_event(request.user, event, state=state),
        lambda updated: f"“{updated.name}” is {done[updated.is_published]}.",
    )
    return redirect(_settings_url(event))


@login_required
@require_http_methods(["GET", "POST"])
def event_trash(request, identifier):
    """Ask first (GET), then move the event to the trash (POST): the owner only."""
    event = team_event(request, identifier)
    _require(rules.is_owner(request.user, event), "Only the owner may delete this event.")
    if request.method == "POST":
        trashed, _ = attempt(
            request,
            lambda: services.delete_event(request.user, event),
            f"“{event.name}” was moved to the trash. Its organizers can restore it.",
        )
        return redirect("event-trash-list") if trashed else redirect(_settings_url(event))
    return render(request, "events/event_confirm_trash.html", {"event": event, "section": "Settings"})


@login_required
def trash_list(request):
    return render(request, "events/trash.html", {"events": list(queries.trashed_events(request.user))})


@login_required
@require_POST
def event_restore(request, identifier):
    event = get_object_or_404(Event.all_objects, identifier=identifier.lower(), deleted_at__isnull=False)
    if not rules.has_any_role(request.user, event):
        raise Http404("No such event.")
    _require(rules.is_organizer(request.user, event), "Only the event's organizers may restore it.")
    restored, _ = attempt(request, lambda: services.restore_event(request.user, event), f"“{event.name}” was restored.")
    if not restored:
        return redirect("event-trash-list")
    return redirect("event-dashboard", identifier=event.identifier)


@login_required
@require_http_methods(["GET", "POST"])
def event_hand_over(request, identifier):
    """The owner chooses a team member to become owner; anybody else gets an owner invite."""
    event = team_event(request, identifier)
    _require(rules.is_owner(request.user, event), "Only the owner may hand over this event.")
    team = list(services.team(event))
    owners = {m.user_id for m in team if m.role.name == Role.OWNER}
    members = list({m.user_id: m.user for m in team if m.user_id not in owners}.values())
    form = HandOverForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        new_owner = next(user for user in members if user.pk == form.cleaned_data["user"])
        try:
            services.transfer_ownership(request.user, event, new_owner)
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{new_owner.email} now owns “{event.name}”; you stay on as organizer.")
            return redirect(_team_url(event))
    context = {"event": event, "form": form, "section": "Settings", "members": members}
    return render(request, "events/event_hand_over.html", context)


# --- team -----------------------------------------------------------------------------------------
def _team_page(request, event, invite_form=None, new_link=None):
    """The team page: members with what the user may do to each, pending invites, the invite
    form; ``new_link`` is an invite link to show this once (it is stored nowhere)."""
    user = request.user
    roles = list(Role.objects.all())
    rows = []
    for membership in services.team(event):
        membership.event = event  # asked about below: no query per row
        choices = [role for role in roles if rules.can_change_role(user, membership, role.name)]
        form = None
        if choices and membership.role in choices:
            form = RoleChangeForm(
                initial={"role": membership.role.name},
                roles=choices,
                prefix=f"member-{membership.pk}",
                label=f"Role of {membership.user.display_name}",
            )
        rows.append((membership, form, rules.can_remove_member(user, membership)))
    invitable = [role for role in roles if rules.can_invite(user, event, role.name)]
    can_manage = rules.is_coorganizer(user, event)
    pending = (
        list(event.role_invites.filter(status=RoleInvite.Status.PENDING).select_related("role", "invited_by"))
        if can_manage
        else []
    )
    context = {
        "event": event,
        "section": "Team",
        "rows": rows,
        "is_member": any(membership.user_id == user.pk for membership, _, _ in rows),
        "is_owner": rules.is_owner(user, event),
        "can_manage": can_manage,
        "pending_invites": [(invite, rules.can_invite(user, event, invite.role.name)) for invite in pending],
        "invite_form": invite_form or (InviteForm(roles=invitable, prefix="invite") if invitable else None),
        "new_link": new_link,
    }
    response = render(request, "events/team.html", context)
    if new_link:
        # The link is answered to this POST, never redirected to (it would have to be kept
        # somewhere until the next request), and kept out of every cache.
        patch_cache_control(response, no_store=True, private=True)
    return response


def _invite_link(request, invitation):
    return request.build_absolute_uri(reverse("invite-link", args=[invitation.token]))


@login_required
@require_http_methods(["GET", "POST"])
def event_team(request, identifier):
    """The team (GET); a POST invites someone and shows the new invite's link once."""
    event = team_event(request, identifier)
    if request.method == "GET":
        return _team_page(request, event)
    roles = [role for role in Role.objects.all() if rules.can_invite(request.user, event, role.name)]
    _require(roles, "You may not invite anyone to this event.")
    form = InviteForm(request.POST, roles=roles, prefix="invite")
    if form.is_valid():
        try:
            invitation = services.invite(request.user, event, form.cleaned_data["email"], form.cleaned_data["role"])
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"{invitation.email} was invited as {invitation.role.title_name}.")
            return _team_page(request, event, new_link=(invitation, _invite_link(request, invitation)))
    return _team_page(request, event, invite_form=form)


def _member(request, identifier, pk):
    event = team_event(request, identifier)
    membership = get_object_or_404(UsersEventsRoles.objects.select_related("user", "role", "event"), pk=pk, event=event)
    return event, membership


@login_required
@require_POST
def member_role(request, identifier, pk):
    event, membership = _member(request, identifier, pk)
    roles = [role for role in Role.objects.all() if rules.can_change_role(request.user, membership, role.name)]
    _require(roles and membership.role in roles, "You may not change this member's role.")
    form = RoleChangeForm(request.POST, roles=roles, prefix=f"member-{membership.pk}")
    if not form.is_valid():
        messages.error(request, f"Choose one of the roles you may give {membership.user.email}.")
        return redirect(_team_url(event))
    before = membership.role.title_name
    attempt(
        request,
        lambda: services.change_role(request.user, membership, form.cleaned_data["role"]),
        lambda changed: f"{membership.user.email} is now {changed.role.title_name} (was {before}).",
    )
    return redirect(_team_url(event))


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, identifier, pk):
    """Ask first (GET), then take the role away (POST)."""
    event, membership = _member(request, identifier, pk)
    _require(rules.can_remove_member(request.user, membership), "You may not remove this member.")
    if request.method == "POST":
        attempt(
            request,
            lambda: services.remove_from_team(request.user, membership),
            f"{membership.user.email} is no longer {membership.role.title_name} of “{event.name}”.",
        )
        if not rules.has_any_role(request.user, event):
            return redirect("my-events")
        return redirect(_team_url(event))
    context = {"event": event, "section": "Team", "membership": membership}
    return render(request, "events/member_confirm_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_leave(request, identifier):
    """Ask first (GET), then give up every role at the event (POST)."""
    event = team_event(request, identifier)
    if request.method == "POST":
        left, _ = attempt(request, lambda: services.leave_event(request.user, event), f"You left “{event.name}”.")
        return redirect("my-events") if left else redirect(_team_url(event))
    context = {"event": event, "section": "Team", "is_owner": rules.is_owner(request.user, event)}
    return render(request, "events/team_confirm_leave.html", context)


def _pending_invite(request, identifier, pk):
    event = team_event(request, identifier)
    _require(rules.is_coorganizer(request.user, event), "Only co-organizers and up manage invites.")
    invitation = get_object_or_404(
        RoleInvite.objects.select_related("role", "event"), pk=pk, event=event, status=RoleInvite.Status.PENDING
    )
    _require(rules.can_invite(request.user, event, invitation.role.name), "You may not manage this invite.")
    return event, invitation


@login_required
@require_POST
def invite_revoke(request, identifier, pk):
    event, invitation = _pending_invite(request, identifier, pk)
    attempt(
        request,
        lambda: services.delete_invite(request.user, invitation),
        f"The invite of {invitation.email} was revoked; its link no longer works.",
    )
    return redirect(_team_url(event))


@login_required
@require_POST
def invite_resend(request, identifier, pk):
    """A fresh token and lifetime; the new link is shown this once."""
    event, invitation = _pending_invite(request, identifier, pk)
    sent, renewed = attempt(
        request,
        lambda: services.resend_invite(request.user, invitation),
        lambda renewed: f"The invite of {renewed.email} was renewed; the old link no longer works.",
    )
    if not sent:
        return redirect(_team_url(event))
    return _team_page(request, event, new_link=(renewed, _invite_link(request, renewed)))


def invite_link(request, token):
    """Where an invite link leads: the invitee answers on "My invites" (logged in with the invited,
    verified address). A link that opens no pending invite is not found. A visitor who is not
    logged in is told why they should, before the token is looked at (nothing about the event or
    the link's validity: links get forwarded)."""
    if not request.user.is_authenticated:
        messages.info(
            request,
            "You have a team invite. Log in with the address it was sent to, or register with it, to answer it.",
        )
        return redirect_to_login(request.get_full_path())
    invitation = services.pending_invite_by_token(token)
    if invitation is None:
        raise Http404("This invite link opens no pending invite.")
    if invitation.email != request.user.email.strip().lower():
        messages.error(request, "This invite is for another e-mail address: log in with that address to answer it.")
        return redirect("my-invites")
    messages.info(
        request,
        f"You are invited to be {invitation.role.title_name} of “{invitation.event.name}”. Answer the invite below.",
    )
    return redirect("my-invites")
