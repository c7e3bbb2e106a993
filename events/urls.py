from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.my_events, name="my-events"),
    path("events/new", views.event_create, name="event-create"),
    path("events/<str:identifier>/", views.event_dashboard, name="event-dashboard"),
    path("invites/", views.my_invites, name="my-invites"),
    path("invites/<int:pk>/answer", views.invite_answer, name="invite-answer"),
]
