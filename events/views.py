"""Organizer pages: my events, create an event, the event dashboard, my invites.

Thin views: resolve the object, ask ``events.permissions``, call ``events.services``. A refusal
from a service is shown on the form (or as a message), never as a server error.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openevent.errors import ServiceError

from . import permissions as rules
from . import services
from .forms import AnswerInviteForm, EventForm, InviteForm
from .models import Event, Role, RoleInvite, UsersEventsRoles


def home(request):
    return redirect("my-events" if request.user.is_authenticated else "login")


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


def _dashboard_event(request, identifier):
    """The event, if the user may open its dashboard: 404 where the event is hidden from them,
    403 where they can see it exists but hold no role."""
    event = get_object_or_404(Event, identifier=identifier)
    if not rules.can_see_event(request.user, event):
        raise Http404("No such event.")
    if not rules.has_any_role(request.user, event):
        raise PermissionDenied("Only the event's team sees its dashboard.")
    return event


@login_required
@require_http_methods(["GET", "POST"])
def event_dashboard(request, identifier):
    event = _dashboard_event(request, identifier)
    roles = list(Role.objects.all())
    invitable = [role for role in roles if rules.can_invite(request.user, event, role.name)]
    form = InviteForm(request.POST if request.method == "POST" else None, roles=invitable, prefix="invite")
    if request.method == "POST":
        if not invitable:
            raise PermissionDenied("You may not invite anyone to this event.")
        if form.is_valid():
            try:
                invitation = services.invite(
                    request.user, event, form.cleaned_data["email"], form.cleaned_data["role"]
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"{invitation.email} was invited as {invitation.role.title_name}.")
                return redirect("event-dashboard", identifier=event.identifier)
    can_manage = rules.is_coorganizer(request.user, event)
    pending = (
        event.role_invites.filter(status=RoleInvite.Status.PENDING).select_related("role", "invited_by")
        if can_manage
        else RoleInvite.objects.none()
    )
    my_roles = rules.roles_at(request.user, event)
    context = {
        "event": event,
        "my_roles": [role for role in roles if role.name in my_roles],
        "is_admin": rules.is_admin(request.user),
        "team": services.team(event),
        "can_manage": can_manage,
        "pending_invites": pending,
        "invite_form": form if invitable else None,
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
