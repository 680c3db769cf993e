"""Settings of the app processes the fault tests start (gunicorn, Celery workers and beats): the
project's own, with static files from the finders like the rest of the suite (no collectstatic)."""

from hruf.settings import *  # noqa: F403
from hruf.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
