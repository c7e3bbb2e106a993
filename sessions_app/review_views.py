"""The review pages: a reviewer scores proposals one after another (/events/<id>/reviews/), and
co-organizers set the review phase up (/events/<id>/reviews/settings). Rules in the services;
who may do what in ``events.permissions`` (``can_see_reviews``, ``can_review``,
``can_manage_reviews``)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from events import permissions as rules
from events import queries as event_queries
from events.services import reviews as reviewer_services
from events.views import team_event
from openevent.core.errors import ServiceError

from . import queries
from .review_forms import ReviewerForm, ReviewForm, ReviewSettingsForm
from .services import reviews as review_services


def _reviews_url(event):
    return reverse("review-page", args=[event.identifier])


def _settings_url(event):
    return reverse("review-settings", args=[event.identifier])


def _answers(event, session):
    """The session's custom answers as the organizer pages show them (``events.queries.form_answers``):
    the answered custom fields in form order, then answers to deleted fields."""
    answers, archived = event_queries.form_answers(
        event_queries.form_fields(event, "session"), session.complex_field_values
    )
    return answers + archived


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request, identifier):
    """GET: the next pending proposal the reviewer has not scored (``?session=<id>``: one they
    may review, to change their score), and their reviews. POST: save the score, then the next."""
    event = team_event(request, identifier)
    user = request.user
    if not rules.can_see_reviews(user, event):
        raise PermissionDenied("Only the event's reviewers and co-organizers see its reviews.")
    settings = event_queries.review_settings(event)
    scale = event_queries.review_scale(settings)
    is_open = event_queries.review_phase_open(settings)
    reviewable = queries.reviewable_sessions(user, event)
    form = ReviewForm(request.POST if request.method == "POST" else None, scale=scale)
    session = None
    if request.method == "POST":
        if form.is_valid():
            target = reviewable.filter(pk=form.cleaned_data["session"]).first()
            if target is None:
                raise PermissionDenied("You do not review this session.")
            try:
                review_services.write_review(user, target, form.cleaned_data["score"], form.cleaned_data["comment"])
            except ServiceError as error:
                form.add_service_error(error)
                session = target
            else:
                messages.success(request, f"Your review of “{target.title}” was saved.")
                return redirect(_reviews_url(event))
        elif str(form.data.get("session", "")).isdigit():
            session = reviewable.filter(pk=int(form.data["session"])).first()
    elif request.GET.get("session", "").isdigit():
        session = get_object_or_404(reviewable, pk=int(request.GET["session"]))
        mine = queries.reviews_by(user, event).filter(session=session).first()
        initial = {"session": session.pk, "score": mine.score, "comment": mine.comment} if mine else None
        form = ReviewForm(initial=initial or {"session": session.pk}, scale=scale)
    if session is None and request.method == "GET":
        session = queries.next_unreviewed(user, event)
        if session is not None:
            form = ReviewForm(initial={"session": session.pk}, scale=scale)
    context = {
        "event": event,
        "section": "Reviews",
        "session": session,
        "answers": _answers(event, session) if session is not None else [],
        "anonymous": settings.is_anonymous,
        "form": form,
        "scale": scale,
        "is_open": is_open,
        "settings": settings,
        "is_reviewer": rules.is_reviewer(user, event),
        "manages": rules.can_manage_reviews(user, event),
        "my_reviews": list(queries.reviews_by(user, event)),
    }
    return render(request, "sessions_app/review_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_settings(request, identifier):
    """The scale, labels, end and anonymity of the reviews; which team members review."""
    event = team_event(request, identifier)
    if not rules.can_manage_reviews(request.user, event):
        raise PermissionDenied("Only co-organizers and up set up the reviews.")
    settings = event_queries.review_settings(event)
    members = list(event_queries.team_members(event))
    tracks = list(event.tracks.order_by("name"))
    post = request.POST if request.method == "POST" else None
    action = post.get("action") if post else None
    settings_form = ReviewSettingsForm(post if action == "settings" else None, settings=settings, event=event)
    reviewer_form = ReviewerForm(post if action == "reviewer" else None, members=members, tracks=tracks)
    if action == "settings" and settings_form.is_valid():
        try:
            reviewer_services.update_review_settings(request.user, event, **settings_form.service_data())
        except ServiceError as error:
            settings_form.add_service_error(error)
        else:
            messages.success(request, "The review settings were saved.")
            return redirect(_settings_url(event))
    if action == "reviewer" and reviewer_form.is_valid():
        data = reviewer_form.cleaned_data
        member = next(user for user in members if user.pk == data["user"])
        try:
            if data["is_reviewer"]:
                chosen = [track for track in tracks if track.pk in set(data["tracks"])]
                reviewer_services.mark_reviewer(request.user, event, member, tracks=chosen)
            else:
                row = event_queries.reviewers(event).filter(user=member).first()
                if row is not None:
                    reviewer_services.unmark_reviewer(request.user, row)
        except ServiceError as error:
            reviewer_form.add_service_error(error)
        else:
            messages.success(request, f"{member.email} {'reviews' if data['is_reviewer'] else 'no longer reviews'}.")
            return redirect(_settings_url(event))
    context = {
        "event": event,
        "section": "Reviews",
        "settings_form": settings_form,
        "reviewer_form": reviewer_form,
        "reviewers": list(event_queries.reviewers(event)),
    }
    return render(request, "sessions_app/review_settings.html", context)
