from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        # The texts this app adds to the catalogues of coded texts (hruf.codes).
        from . import (
            notices,  # noqa: F401
            tally,
        )

        tally.connect()
