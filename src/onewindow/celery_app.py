"""The Celery application. With REDIS_URL it runs on workers and beat; without, tasks run in-process
(CELERY_TASK_ALWAYS_EAGER), so one laptop needs no broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")

app = Celery("onewindow")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
