"""Statistics of the mail log for the admin dashboard."""

from events.api.statistics import admin_statistics

from .. import statistics

AdminMailStatistics = admin_statistics("admin-statistics-mail", statistics.mail_counts)
