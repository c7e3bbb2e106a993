from django.urls import path

from . import review_views, views

urlpatterns = [
    path("events/<str:identifier>/sessions/", views.session_list, name="session-list"),
    path("events/<str:identifier>/sessions/new", views.session_create, name="session-create"),
    path("events/<str:identifier>/sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("events/<str:identifier>/sessions/<int:pk>/edit", views.session_edit, name="session-edit"),
    path("events/<str:identifier>/sessions/<int:pk>/state", views.session_state, name="session-state"),
    path("events/<str:identifier>/speakers/", views.speaker_list, name="speaker-list"),
    path("events/<str:identifier>/speakers/new", views.speaker_create, name="speaker-create"),
    path("events/<str:identifier>/speakers/<int:pk>/edit", views.speaker_edit, name="speaker-edit"),
    path("events/<str:identifier>/reviews/", review_views.review_page, name="review-page"),
    path("events/<str:identifier>/reviews/settings", review_views.review_settings, name="review-settings"),
]
