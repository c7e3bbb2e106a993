from django.urls import path

from openevent.api.routing import resource_urls

from . import statistics
from .views import MailViewSet

urlpatterns = [
    *resource_urls("mails", MailViewSet, "mail"),
    path("admin/statistics/mails", statistics.AdminMailStatistics.as_view(), name="admin-statistics-mails"),
]
