from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScansConfig(AppConfig):
    name = "scans"
    verbose_name = _("Scans")

    def ready(self) -> None:
        # The texts this app adds to the catalogues of coded texts (hruf.codes).
        from . import notices  # noqa: F401
