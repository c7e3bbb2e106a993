"""``manage.py sweep_jobs``: the retention sweep of the jobs' files (``exports.services.retention``),
for a cron without Celery beat; the same as the daily beat job ``exports.tasks.task_sweep_jobs``."""
from django.core.management.base import BaseCommand

from exports.services import retention


class Command(BaseCommand):
    help = "Delete expired export files, end imports no worker took, delete files no job names."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=retention.DEFAULT_LIMIT,
            help="files or jobs each step handles at most (the rest waits for the next run)",
        )

    def handle(self, *args, limit, **options):
        counts = retention.sweep(limit)
        self.stdout.write(", ".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.as_dict().items()))
