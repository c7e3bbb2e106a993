from django.urls import path

from openevent.core import converters  # noqa: F401 -- registers <ident:…>

from . import views

urlpatterns = [
    path("events/<ident:identifier>/mail/", views.mail_templates, name="mail-templates"),
    path("events/<ident:identifier>/mail/templates/<str:action>/", views.mail_template_edit, name="mail-template-edit"),
    path(
        "events/<ident:identifier>/mail/templates/<str:action>/preview",
        views.mail_template_preview,
        name="mail-template-preview",
    ),
    path(
        "events/<ident:identifier>/mail/templates/<str:action>/reset",
        views.mail_template_reset,
        name="mail-template-reset",
    ),
    path("events/<ident:identifier>/mail/speakers/", views.mail_speakers, name="mail-speakers"),
    path("events/<ident:identifier>/mail/speakers/preview", views.mail_speakers_preview, name="mail-speakers-preview"),
    path("events/<ident:identifier>/mail/sent/", views.sent_mail, name="sent-mail"),
    path("proposals/<int:pk>/decision", views.proposal_decision, name="proposal-decision"),
]
