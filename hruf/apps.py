from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrufConfig(AppConfig):
    name = "hruf"
    verbose_name = _("People and reference data")

    def ready(self):
        # Connects the beat tasks' heartbeats to Celery's task signals, in the worker and everywhere else.
        # Ends a person's API tokens when their password or roles change, and their sessions with a role change.
        # Registers the system checks of the evidence keys.
        from django.db.backends.signals import connection_created

        from . import (
            access_revocation,  # noqa: F401
            checks,  # noqa: F401
            heartbeats,  # noqa: F401
        )
        from .figures_cache import watch_writes

        # Every connection's writes move the data version the kept figures are filed under.
        connection_created.connect(watch_writes, dispatch_uid="hruf.figures_cache")
