"""Organizer pages of an event's mail: the mail templates (the event's own wording of the mails
the platform sends about it, with a live preview and a reset to the default), "Mail speakers"
(a mail of the organizers' own to chosen speakers), and the event's sent mail.

Thin views as elsewhere: resolve the event (``events.views.team_event``: 404 where it is hidden,
403 without a role), ask ``events.permissions`` (co-organizers and up; 403 for the others), write
through ``mailing.organizer``. A refusal is a form error or a message, never a 500.
"""
import base64
import hashlib
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from events import permissions as rules
from events.views import team_event
from openevent.core import csp
from openevent.core.errors import ServiceError
from openevent.core.pages import paged
from sessions_app.queries import user_proposals

from . import actions, organizer
from .forms import MailTemplateForm, SpeakerMailForm
from .models import Mail

SENT_PAGE_SIZE = 50
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def _mail_event(request, identifier):
    event = team_event(request, identifier)
    if not rules.is_coorganizer(request.user, event):
        raise PermissionDenied("Only co-organizers and up see and change the event's mail.")
    return event


def _action(key):
    action = organizer.overridable(key)
    if action is None:
        raise Http404("Organizers cannot rewrite this mail.")
    return action


def _placeholders(key):
    return [(name, description) for name, (description, _) in actions.get(key).all_placeholders.items()]


def _with_mail_styles(response, *htmls):
    """Let the preview's sandboxed frame (``srcdoc`` inherits this page's policy) apply the inline
    styles of our mail layout: each ``style`` attribute value of ``htmls`` by its hash, nothing
    else (organizers' text is escaped, so it brings none)."""
    values = {value for html in htmls for value in STYLE_ATTRIBUTE.findall(html)}
    hashes = sorted(
        f"'sha256-{base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()}'" for value in values
    )
    if hashes:
        policy = csp.policy_with(style_src=[*csp.policy_with()["style-src"], "'unsafe-hashes'", *hashes])
        response[csp.HEADER] = csp.render(policy)
    return response


# --- mail templates -------------------------------------------------------------------------------
@login_required
def mail_templates(request, identifier):
    event = _mail_event(request, identifier)
    own = organizer.templates_of(event)
    rows = [(action, own.get(action.key)) for action in organizer.overridable_actions()]
    context = {"event": event, "rows": rows, "section": "Mail", "mail_page": "templates"}
    return render(request, "mailing/mail_templates.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mail_template_edit(request, identifier, action):
    """GET: the event's wording of ``action``'s mail (or the default's) with its preview. POST:
    save it ("save") or show the preview of what was written ("preview", for pages without
    JavaScript)."""
    event = _mail_event(request, identifier)
    action = _action(action)
    subject, body, customized = organizer.wording(event, action.key)
    if request.method == "POST":
        form = MailTemplateForm(request.POST, action=action.key)
        if "preview" not in request.POST and form.is_valid():
            try:
                organizer.save_mail_template(
                    event, action.key, form.cleaned_data["subject"], form.cleaned_data["body"], request.user
                )
            except ServiceError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"The mail “{action.label}” of {event.name} now uses your wording.")
                return redirect("mail-template-edit", identifier=event.identifier, action=action.key)
        subject, body = request.POST.get("subject", ""), request.POST.get("body", "")
    else:
        form = MailTemplateForm(initial={"subject": subject, "body": body}, action=action.key)
    preview = organizer.preview_mail(event, action.key, subject, body)
    default = organizer.default_wording(action.key)
    context = {
        "event": event,
        "section": "Mail",
        "mail_page": "templates",
        "action": action,
        "form": form,
        "customized": customized,
        "placeholders": _placeholders(action.key),
        "preview": preview,
        "preview_url": reverse("mail-template-preview", args=[event.identifier, action.key]),
    }
    response = render(request, "mailing/mail_template_edit.html", context)
    sample = organizer.preview_mail(event, action.key, *default)
    return _with_mail_styles(response, preview.html, sample.html)


@login_required
@require_POST
def mail_template_preview(request, identifier, action):
    """The preview of the posted subject and body as JSON: subject, text, html, errors."""
    event = _mail_event(request, identifier)
    action = _action(action)
    preview = organizer.preview_mail(event, action.key, request.POST.get("subject", ""), request.POST.get("body", ""))
    return JsonResponse(preview.as_json())


@login_required
@require_http_methods(["GET", "POST"])
def mail_template_reset(request, identifier, action):
    """Ask first (GET), then delete the event's wording (POST)."""
    event = _mail_event(request, identifier)
    action = _action(action)
    if request.method == "POST":
        try:
            organizer.reset_mail_template(event, action.key, request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The mail “{action.label}” is back to the platform's wording.")
        return redirect("mail-template-edit", identifier=event.identifier, action=action.key)
    context = {"event": event, "section": "Mail", "mail_page": "templates", "action": action}
    return render(request, "mailing/mail_template_reset.html", context)


# --- mail speakers --------------------------------------------------------------------------------
def _chosen(recipients, speaker_id):
    for recipient in recipients:
        if str(recipient.speaker.pk) == str(speaker_id):
            return recipient
    return recipients[0] if recipients else None


def _speaker_preview(event, form, data):
    """The preview of a mail to speakers as the posted ``preview_for`` speaker (or the first
    recipient) would get it, and the recipients (None where the criteria are not valid)."""
    recipients = None
    form.is_valid()
    criteria_fields = ("states", "tracks", "speakers")
    if not any(name in form.errors for name in criteria_fields):
        try:
            recipients, _ = organizer.speaker_recipients(event, **form.criteria())
        except ServiceError as error:
            form.add_service_error(error)
    chosen = _chosen(recipients or [], data.get("preview_for"))
    preview = organizer.preview_speaker_mail(event, data.get("subject", ""), data.get("body", ""), chosen)
    return preview, recipients, chosen


def _summary(recipients):
    if recipients is None:
        return "Choose the recipients."
    if not recipients:
        return "No speaker with an e-mail address matches."
    count = len(recipients)
    return f"This mail goes to {count} address{'es' if count != 1 else ''}."


@login_required
@require_http_methods(["GET", "POST"])
def mail_speakers(request, identifier):
    """GET: the form. POST: preview it ("preview") or queue one mail per address ("send")."""
    event = _mail_event(request, identifier)
    form = SpeakerMailForm(request.POST if request.method == "POST" else None, event=event)
    recipients = chosen = None
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        try:
            mailing = organizer.mail_speakers(event, request.user, subject=form.cleaned_data["subject"],
                                              body=form.cleaned_data["body"], **form.criteria())
        except ServiceError as error:
            form.add_service_error(error)
        else:
            _report(request, mailing)
            return redirect("sent-mail", identifier=event.identifier)
    if request.method == "POST":
        preview, recipients, chosen = _speaker_preview(event, form, request.POST)
    else:
        preview = organizer.preview_speaker_mail(event, "", "")
    context = {
        "event": event,
        "section": "Mail",
        "mail_page": "speakers",
        "form": form,
        "placeholders": _placeholders(organizer.SPEAKER_MAIL),
        "preview": preview,
        "recipients": recipients,
        "summary": _summary(recipients) if request.method == "POST" else "Choose the recipients.",
        "chosen": chosen,
        "speakers": list(form.fields["speakers"].queryset),
        "preview_url": reverse("mail-speakers-preview", args=[event.identifier]),
    }
    response = render(request, "mailing/mail_speakers.html", context)
    return _with_mail_styles(response, preview.html)


def _report(request, mailing):
    count = len(mailing.queued)
    if mailing.switched_off:
        messages.error(request, "No mail was queued: mails to speakers are switched off in the platform's settings.")
        return
    messages.success(request, f"{count} mail{'s' if count != 1 else ''} queued. They are listed here as they go out.")
    if mailing.without_address:
        names = ", ".join(speaker.name for speaker in mailing.without_address)
        messages.warning(request, f"Without an e-mail address, not written to: {names}.")


@login_required
@require_POST
def mail_speakers_preview(request, identifier):
    """The preview of a mail to speakers as JSON: subject, text, html, errors, and a summary of
    the recipients."""
    event = _mail_event(request, identifier)
    form = SpeakerMailForm(request.POST, event=event)
    preview, recipients, chosen = _speaker_preview(event, form, request.POST)
    errors = {name: [str(message) for message in messages_] for name, messages_ in form.errors.items()}
    return JsonResponse({
        **preview.as_json(),
        "errors": errors,
        "summary": _summary(recipients),
        "recipient": chosen.address if chosen else "",
    })


# --- sent mail ------------------------------------------------------------------------------------
@login_required
def sent_mail(request, identifier):
    """The mails of this event, newest first, a page at a time."""
    event = _mail_event(request, identifier)
    mails = Mail.objects.filter(event=event).only("recipient", "subject", "status", "time", "sent_at", "action")
    paging = paged(request, mails, SENT_PAGE_SIZE)
    context = {
        "event": event,
        "section": "Mail",
        "mail_page": "sent",
        **paging,
        "mails": list(paging["page"]),
    }
    return render(request, "mailing/sent_mail.html", context)


# --- a speaker reads the organizers' decision on their proposal ------------------------------------------
#: The state-change mails that carry the organizers' decision on a proposal.
DECISION_ACTIONS = ("session_accepted", "session_rejected", "session_canceled")


@login_required
def proposal_decision(request, pk):
    """The decision mail the user received about one of their proposals (``My proposals``): the
    latest state-change mail to their account or address about that session."""
    session = get_object_or_404(user_proposals(request.user), pk=pk)
    to_them = Q(user=request.user) | Q(recipient__iexact=request.user.email)
    mail = (
        Mail.objects.filter(to_them, session=session, action__in=DECISION_ACTIONS, redacted=False)
        .order_by("-time", "-pk")
        .first()
    )
    return render(request, "mailing/proposal_decision.html", {"session": session, "mail": mail})
