"""Notifications that scans send (hruf.notices); loaded by ScansConfig.ready."""

from django.utils.translation import gettext_lazy as _

from hruf.notices import NOTICES

from .models import Alert

ALERT_RAISED = "scans.alert_raised"

NOTICES.add(
    ALERT_RAISED,
    subject=_("Urgent alert: %(country)s: %(title)s"),
    body=_("%(severity)s. %(location)s. Raised by %(user)s."),
    labels={"severity": lambda v: Alert.Severity(v).label},
)
