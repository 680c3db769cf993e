from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Regional reviews and the Senior Action Group")

    def ready(self) -> None:
        # The texts this app adds to the catalogues of coded texts (hruf.codes).
        from . import notices  # noqa: F401
