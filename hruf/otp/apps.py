from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "hruf.otp"
    label = "hruf_otp"
    verbose_name = _("Two-factor sign-in")

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in and sign-out receivers)
