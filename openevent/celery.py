"""Celery application. Configuration lives in Django settings under the CELERY_ namespace."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openevent.settings")

app = Celery("openevent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
