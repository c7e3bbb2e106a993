from django.urls import path, register_converter

from openevent.core import converters  # noqa: F401 -- registers <ident:…>

from . import forms_views, manage_views, public_views, views


class PartConverter:
    """A URL segment naming a kind of program part ("tracks", "rooms"…); views receive its
    ``views.PartPage``."""

    regex = "|".join(views.PART_PAGES)

    def to_python(self, value):
        return views.PART_PAGES[value]

    def to_url(self, value):
        return getattr(value, "slug", value)


register_converter(PartConverter, "part")

urlpatterns = [
    path("", public_views.home, name="home"),
    path("e/<ident:identifier>/", public_views.event_page, name="public-event"),
    path("events/", views.my_events, name="my-events"),
    path("events/new", views.event_create, name="event-create"),
    path("events/trash/", manage_views.trash_list, name="event-trash-list"),
    path("events/stripe/callback", manage_views.stripe_callback, name="stripe-callback"),
    path("events/<ident:identifier>/", views.event_dashboard, name="event-dashboard"),
    path("events/<ident:identifier>/settings/", manage_views.event_settings, name="event-settings"),
    path("events/<ident:identifier>/settings/publish", manage_views.event_publish, name="event-publish"),
    path("events/<ident:identifier>/settings/trash", manage_views.event_trash, name="event-trash"),
    path("events/<ident:identifier>/settings/hand-over", manage_views.event_hand_over, name="event-hand-over"),
    path("events/<ident:identifier>/settings/stripe/connect", manage_views.stripe_connect, name="stripe-connect"),
    path(
        "events/<ident:identifier>/settings/stripe/disconnect", manage_views.stripe_disconnect, name="stripe-disconnect"
    ),
    path("events/<ident:identifier>/restore", manage_views.event_restore, name="event-restore"),
    path("events/<ident:identifier>/team/", manage_views.event_team, name="event-team"),
    path("events/<ident:identifier>/team/leave", manage_views.team_leave, name="team-leave"),
    path("events/<ident:identifier>/team/<int:pk>/role", manage_views.member_role, name="member-role"),
    path("events/<ident:identifier>/team/<int:pk>/remove", manage_views.member_remove, name="member-remove"),
    path("events/<ident:identifier>/invites/<int:pk>/revoke", manage_views.invite_revoke, name="invite-revoke"),
    path("events/<ident:identifier>/invites/<int:pk>/resend", manage_views.invite_resend, name="invite-resend"),
    path("events/<ident:identifier>/forms/", forms_views.forms_home, name="event-forms-home"),
    path("events/<ident:identifier>/forms/<str:form>", forms_views.forms_builder, name="event-forms"),
    path("events/<ident:identifier>/<part:part>/", views.part_list, name="part-list"),
    path("events/<ident:identifier>/<part:part>/new", views.part_create, name="part-create"),
    path("events/<ident:identifier>/<part:part>/<int:pk>/edit", views.part_edit, name="part-edit"),
    path("events/<ident:identifier>/<part:part>/<int:pk>/delete", views.part_delete, name="part-delete"),
    path("invites/", views.my_invites, name="my-invites"),
    path("invites/<int:pk>/answer", views.invite_answer, name="invite-answer"),
    path("invites/link/<str:token>", manage_views.invite_link, name="invite-link"),
]
