from django.urls import path, register_converter
from django.views.generic import RedirectView

from openevent.core import converters  # noqa: F401 -- registers <ident:…>

from . import cfp_views, day_export_views, public_views, review_views, schedule_views, scheduler_views, views
from .converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("events/<ident:identifier>/sessions/", views.session_list, name="session-list"),
    path("events/<ident:identifier>/sessions/new", views.session_create, name="session-create"),
    path("events/<ident:identifier>/sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("events/<ident:identifier>/sessions/<int:pk>/edit", views.session_edit, name="session-edit"),
    path("events/<ident:identifier>/sessions/<int:pk>/state", views.session_state, name="session-state"),
    path("events/<ident:identifier>/schedule/", scheduler_views.scheduler, name="scheduler"),
    path(
        "events/<ident:identifier>/schedule/conflicts",
        scheduler_views.scheduler_conflicts,
        name="scheduler-conflicts",
    ),
    path(
        "events/<ident:identifier>/schedule/day/<isodate:day>.ics",
        day_export_views.day_ics,
        name="scheduler-day-ics",
    ),
    path(
        "events/<ident:identifier>/schedule/day/<isodate:day>.png",
        day_export_views.day_picture,
        name="scheduler-day-png",
    ),
    path(
        "events/<ident:identifier>/schedule/releases",
        schedule_views.schedule_releases,
        name="schedule-releases",
    ),
    path("events/<ident:identifier>/speakers/", views.speaker_list, name="speaker-list"),
    path("events/<ident:identifier>/speakers/new", views.speaker_create, name="speaker-create"),
    path("events/<ident:identifier>/speakers/<int:pk>/edit", views.speaker_edit, name="speaker-edit"),
    # the public site (the event page and the start page are ``events``')
    path("e/<ident:identifier>/schedule/", public_views.schedule_page, name="public-schedule"),
    path("e/<ident:identifier>/schedule/grid.css", public_views.schedule_grid_css, name="public-schedule-grid-css"),
    path("e/<ident:identifier>/sessions/<int:pk>/", public_views.session_page, name="public-session"),
    path("e/<ident:identifier>/sessions/<int:pk>.ics", public_views.session_ics, name="public-session-ics"),
    path("e/<ident:identifier>/speakers/", public_views.speaker_list, name="public-speakers"),
    path("e/<ident:identifier>/speakers/<int:pk>/", public_views.speaker_page, name="public-speaker"),
    path("e/<ident:identifier>/tracks/", public_views.track_list, name="public-tracks"),
    path("e/<ident:identifier>/rooms/", public_views.room_list, name="public-rooms"),
    # the call for papers
    path("e/<ident:identifier>/cfp/", cfp_views.call_page, name="cfp"),
    # The addresses of Open Event's front end, which mails use (mailing.program.event_link): here too
    # when no front end is configured, so their links lead to this server's pages.
    path("e/<ident:identifier>/cfs", RedirectView.as_view(pattern_name="cfp"), name="cfs-redirect"),
    path("e/<ident:identifier>/cfs/", RedirectView.as_view(pattern_name="cfp")),
    path("e/<ident:identifier>/session/<int:pk>", RedirectView.as_view(pattern_name="public-session"),
         name="session-redirect"),
    path("e/<ident:identifier>/cfp/submit", cfp_views.submit, name="cfp-submit"),
    path("proposals/", cfp_views.my_proposals, name="my-proposals"),
    path("proposals/<int:pk>/submitted", cfp_views.submitted, name="cfp-submitted"),
    path("proposals/<int:pk>/edit", cfp_views.proposal_edit, name="proposal-edit"),
    path("proposals/<int:pk>/co-speakers", cfp_views.proposal_invite, name="proposal-invite"),
    path("proposals/<int:pk>/withdraw", cfp_views.proposal_withdraw, name="proposal-withdraw"),
    path("proposals/<int:pk>/confirm", cfp_views.proposal_confirm, name="proposal-confirm"),
    path("events/<ident:identifier>/reviews/", review_views.review_page, name="review-page"),
    path("events/<ident:identifier>/reviews/settings", review_views.review_settings, name="review-settings"),
]
