from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrufConfig(AppConfig):
    name = "hruf"
    verbose_name = _("People and reference data")
