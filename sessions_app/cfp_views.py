"""The call for papers in the browser: the public call page, "Submit a proposal" (rendered from the
event's session and speaker forms), its confirmation, and "My proposals" (edit, withdraw, confirm).

Thin views: the services in ``sessions_app.services.proposals`` decide; a refusal is a form error
(``ProposalForm.add_service_errors``) or a message, never a 500.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from events import permissions as rules
from events.models import Event, SpeakersCall
from events.queries import form_fields
from openevent.core.errors import ServiceError

from . import queries, services, states
from .models import Session
from .proposal_forms import ProposalForm, field_name, initial_of

State = Session.State
Form = ProposalForm


def _public_event(request, identifier):
    """The event, 404 where the user may not see it (drafts to anyone but their team)."""
    event = get_object_or_404(Event.objects.prefetch_related("speakers_calls"), identifier=identifier.lower())
    if not rules.can_see_event(request.user, event):
        raise Http404("No such event.")
    return event


def _call_status(event, call, hash, now):
    """What the page says about the call: none, private (no valid hash), upcoming, closed, open."""
    if call is None or not event.is_sessions_speakers_enabled:
        return "none"
    if call.privacy == SpeakersCall.Privacy.PRIVATE and not call.is_open(call.starts_at, hash):
        return "private"
    if now < call.starts_at:
        return "upcoming"
    if now > call.ends_at:
        return "closed"
    return "open"


def _countdown(delta):
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} day{'s' if days != 1 else ''}"
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{max(minutes, 1)} minute{'s' if minutes != 1 else ''}"


def call_page(request, identifier):
    event = _public_event(request, identifier)
    call = event.speakers_calls.first()
    hash = request.GET.get("hash") or None
    now = timezone.now()
    organizer = rules.can_manage_program(request.user, event)
    status = _call_status(event, call, hash, now)
    shown = status not in ("none", "private") or (organizer and call is not None)
    submit_url = reverse("cfp-submit", args=[event.identifier])
    if hash:
        submit_url += "?" + urlencode({"hash": hash})
    context = {
        "event": event,
        "call": call if shown else None,
        "status": status,
        "organizer": organizer,
        "submit_url": submit_url,
        "closes_in": _countdown(call.ends_at - now) if shown and status == "open" else None,
        "opens_in": _countdown(call.starts_at - now) if shown and status == "upcoming" else None,
        "countdown": {"ends_at": call.ends_at.isoformat()} if shown and status == "open" else None,
    }
    return render(request, "sessions_app/cfp/call.html", context, status=200)


def _proposal_form(request, event, *, initial=None, co_speakers=True, bind=True):
    """The proposal form, bound to a POST's data unless ``bind`` is false."""
    session_fields = form_fields(event, "session")
    speaker_fields = form_fields(event, "speaker")
    data = request.POST if bind and request.method == "POST" else None
    form = ProposalForm(event, session_fields, speaker_fields, account=request.user, co_speakers=co_speakers,
                        data=data, initial=initial or {})
    return form, session_fields, speaker_fields


def _speaker_initial(user, speaker_fields, event):
    """The speaker part prefilled from the user's speaker row here, or their latest anywhere, or the account."""
    row = services.own_speaker(user, event) or queries.latest_speaker_profile(user)
    initial = initial_of(speaker_fields, "speaker", row) if row is not None else {}
    name = field_name("speaker", "name")
    if not initial.get(name):
        initial[name] = getattr(user, "display_name", "") or ""
    initial[field_name("speaker", "email")] = user.email
    return initial


@require_http_methods(["GET", "POST"])
def submit(request, identifier):
    event = _public_event(request, identifier)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    hash = request.GET.get("hash") or request.POST.get("hash") or None
    refusal = services.call_for_papers_refusal(event, hash)
    if refusal and not rules.can_manage_program(request.user, event):
        return render(request, "sessions_app/cfp/refused.html", {"event": event, "refusal": refusal}, status=403)
    form, _session_fields, speaker_fields = _proposal_form(request, event)
    if request.method == "GET":
        form.initial.update(_speaker_initial(request.user, speaker_fields, event))
    elif form.is_valid():
        try:
            session = services.submit_proposal(
                request.user, event, form.session_data(), form.speaker_data(), form.co_speakers(), hash=hash
            )
        except ServiceError as error:
            form.add_service_errors(error)
        else:
            return redirect("cfp-submitted", pk=session.pk)
    return render(request, "sessions_app/cfp/submit.html", {"event": event, "form": form, "hash": hash})


def _own_proposal(request, pk):
    """One of the user's proposals (404 for anyone else's)."""
    return get_object_or_404(queries.user_proposals(request.user), pk=pk)


@login_required
def submitted(request, pk):
    session = _own_proposal(request, pk)
    return render(request, "sessions_app/cfp/submitted.html", {"session": session, "event": session.event})


def _actions(session):
    unlocked = not session.is_locked
    return {
        "edit": unlocked and session.state in (State.DRAFT, State.PENDING, State.ACCEPTED, State.CONFIRMED),
        "withdraw": unlocked and states.allowed(states.SPEAKER, session.state, State.WITHDRAWN),
        "confirm": unlocked and session.state == State.ACCEPTED,
        # The decision mail (``mailing.views.proposal_decision``) once the organizers decided.
        "decision": session.state in (State.ACCEPTED, State.CONFIRMED, State.REJECTED, State.CANCELED),
    }


@login_required
def my_proposals(request):
    services.claim_speaker_rows(request.user)
    sessions = list(queries.user_proposals(request.user))
    rows = [{"session": session, "actions": _actions(session)} for session in sessions]
    return render(request, "sessions_app/cfp/my_proposals.html", {"rows": rows})


def _edit_form(request, session, *, prefill):
    """The proposal form of the edit page (without the speaker part when the user has no speaker
    row in the event), prefilled from the session and the speaker row when ``prefill``."""
    event = session.event
    speaker = services.own_speaker(request.user, event)
    form, session_fields, speaker_fields = _proposal_form(request, event, co_speakers=False, bind=not prefill)
    if speaker is None:
        for name, _row, _column in form.parts["speaker"]:
            del form.fields[name]
        form.parts["speaker"] = []
    if prefill:
        form.initial.update(initial_of(session_fields, "session", session))
        if speaker is not None:
            form.initial.update(initial_of(speaker_fields, "speaker", speaker))
            form.initial[field_name("speaker", "email")] = request.user.email
    return form, speaker


def _can_edit(request, session):
    return _actions(session)["edit"] or rules.can_manage_program(request.user, session.event)


def _edit_page(request, session, form, invite=None):
    context = {"event": session.event, "form": form, "session": session, "invite": invite or {}}
    return render(request, "sessions_app/cfp/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request, pk):
    session = _own_proposal(request, pk)
    if not _can_edit(request, session):
        messages.error(request, "This proposal cannot be changed any more; ask the organizers.")
        return redirect("my-proposals")
    form, speaker = _edit_form(request, session, prefill=request.method == "GET")
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                request.user, session, form.session_data(), speaker, form.speaker_data() if speaker else None
            )
        except ServiceError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"“{session.title}” was saved.")
            return redirect("my-proposals")
    return _edit_page(request, session, form)


@login_required
@require_POST
def proposal_invite(request, pk):
    """Invite one more co-speaker by e-mail to one of the user's proposals (the call must be open).
    A refused address or name comes back on the invite form, with what was typed; other refusals
    (call closed, locked) are a message."""
    session = _own_proposal(request, pk)
    email, name = request.POST.get("email", ""), request.POST.get("name", "")
    try:
        services.invite_co_speaker(request.user, session, email, name)
    except ServiceError as error:
        if error.field in ("email", "name") and _can_edit(request, session):
            form, _speaker = _edit_form(request, session, prefill=True)
            invite = {"email": email, "name": name, "errors": {error.field: error.message}}
            return _edit_page(request, session, form, invite)
        messages.error(request, error.message)
    else:
        messages.success(request, f"{email.strip()} was invited as a co-speaker of “{session.title}”.")
    return redirect("proposal-edit", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk):
    session = _own_proposal(request, pk)
    if request.method == "POST":
        try:
            services.withdraw(request.user, session)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"“{session.title}” was withdrawn.")
        return redirect("my-proposals")
    return render(request, "sessions_app/cfp/withdraw.html", {"session": session, "event": session.event})


@login_required
@require_POST
def proposal_confirm(request, pk):
    session = _own_proposal(request, pk)
    try:
        services.confirm(request.user, session)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"You confirmed “{session.title}”.")
    return redirect("my-proposals")
