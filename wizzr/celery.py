"""The Celery application. With REDIS_URL the broker is Redis; without it, CELERY_BROKER_DIR (set by
`make run`) makes it a folder of files; with neither, tasks run in process (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")

app = Celery("wizzr")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
