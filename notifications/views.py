"""Pages: the user's notifications (unread first; mark read, mark all read), the unread count the
header's bell polls, and the notification and mail preferences per event."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from openevent.core.pages import attempt

from . import queries, services
from .forms import PreferencesForm
from .models import Notification

PAGE_SIZE = 50


def _back(request, fallback="notification-list"):
    """Where a form came from (``next``, a path on this site), or the notifications page."""
    target = request.POST.get("next", "")
    hosts = {request.get_host()}
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=request.is_secure()):
        return redirect(target)
    return redirect(fallback)


@login_required
def notification_list(request):
    page = Paginator(queries.notifications_of(request.user).select_related("event"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = queries.unread_count(request.user) if page.paginator.count else 0
    return render(request, "notifications/notification_list.html", {"page": page, "unread": unread})


@login_required
@require_POST
def notification_read(request, pk):
    # Someone else's notification is not found: it is none of this user's business.
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    is_read = request.POST.get("is_read", "true") != "false"
    attempt(
        request,
        lambda: services.mark_read(notification, is_read, actor=request.user),
        "Marked read." if is_read else "Marked unread.",
    )
    return _back(request)


@login_required
@require_POST
def notification_read_all(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} read.")
    else:
        messages.info(request, "Nothing was unread.")
    return _back(request)


@never_cache
@require_GET
def unread_count(request):
    """``{"unread": n}`` for the bell (0 for anonymous visitors): one query, nothing else."""
    return JsonResponse({"unread": queries.unread_count(request.user)})


@login_required
def preferences(request):
    events = list(queries.preference_events(request.user))
    # Every box unticked posts nothing but the token: still a submission.
    form = PreferencesForm(request.POST if request.method == "POST" else None, user=request.user, events=events)
    if request.method == "POST" and form.is_valid():
        saved, _ = attempt(request, form.save, "Your mail preferences are saved.")
        if saved:
            return redirect("notification-preferences")
    return render(request, "notifications/preferences.html", {"form": form, "events": events})
