from django.urls import path

from . import statistics

urlpatterns = [
    path("admin/statistics/mails", statistics.AdminMailStatistics.as_view(), name="admin-statistics-mails"),
]
