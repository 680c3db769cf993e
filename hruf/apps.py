from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrufConfig(AppConfig):
    name = "hruf"
    verbose_name = _("People and reference data")

    def ready(self):
        # Connects the beat tasks' heartbeats to Celery's task signals, in the worker and everywhere else.
        from . import heartbeats  # noqa: F401
