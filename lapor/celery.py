"""The Celery app (SPEC §13: Redis as broker, workers on many machines).

Settings come from Django's, prefixed ``CELERY_`` (lapor/settings.py). With ``REDIS_URL``
set, tasks go through Redis to ``celery -A lapor worker`` and ``celery -A lapor beat``
runs the periodic sweep; without it, ``task_always_eager`` runs every task in the process
that sends it (the embedded default), and ``manage.py scheduler`` runs the sweep.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")

app = Celery("lapor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["lapor.notifications", "lapor.reports"], related_name="tasks")
