from django.urls import path, register_converter

from . import views


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
    path("", views.home, name="home"),
    path("events/", views.my_events, name="my-events"),
    path("events/new", views.event_create, name="event-create"),
    path("events/<str:identifier>/", views.event_dashboard, name="event-dashboard"),
    path("events/<str:identifier>/<part:part>/", views.part_list, name="part-list"),
    path("events/<str:identifier>/<part:part>/new", views.part_create, name="part-create"),
    path("events/<str:identifier>/<part:part>/<int:pk>/edit", views.part_edit, name="part-edit"),
    path("events/<str:identifier>/<part:part>/<int:pk>/delete", views.part_delete, name="part-delete"),
    path("invites/", views.my_invites, name="my-invites"),
    path("invites/<int:pk>/answer", views.invite_answer, name="invite-answer"),
]
