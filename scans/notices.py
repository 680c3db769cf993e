"""Notifications that scans send (hruf.notices); loaded by ScansConfig.ready."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hruf.notices import NOTICES

from .models import Alert, EarlyWarning
from .scoring import Tier

ALERT_RAISED = "scans.alert_raised"

NOTICES.add(
    ALERT_RAISED,
    subject=_("Urgent alert: %(country)s: %(title)s"),
    body=_("%(severity)s. %(location)s. Raised by %(user)s."),
    labels={"severity": lambda v: Alert.Severity(v).label},
)

RISK_ROSE = "scans.risk_rose"
WARNING_WITHDRAWN = "scans.warning_withdrawn"
WARNING_SILENCE = "scans.warning_silence"
WARNING_UNACKNOWLEDGED = "scans.warning_unacknowledged"
WARNING_ACKNOWLEDGED = "scans.warning_acknowledged"


def _risk_rose_subject(p: dict) -> str:
    tier = Tier(p["tier"]).label.lower()
    if p["change"] is None:
        return gettext("Risk in %(country)s is %(tier)s: score %(score)s in its first scan (%(period)s)") % {
            **p, "tier": tier}
    return gettext("Risk rose in %(country)s: score %(score)s (+%(change)s), %(tier)s, scan of %(period)s") % {
        **p, "tier": tier}


NOTICES.add(
    RISK_ROSE, subject=_risk_rose_subject,
    body=_("Acknowledge the warning and put the country on the region's next review, or say why not."),
)
NOTICES.add(
    WARNING_WITHDRAWN,
    subject=_("Warning withdrawn: the amended scan of %(country)s for %(period)s no longer shows a rise"),
    body="",
)
NOTICES.add(
    WARNING_SILENCE,
    subject=_("%(country)s has gone silent: its scan for %(period)s is overdue"),
    body=_("A country at high risk or with open follow-up that stops reporting is itself a warning."),
)
NOTICES.add(
    WARNING_UNACKNOWLEDGED,
    subject=_("Not acknowledged in time: %(kind)s, %(country)s (%(severity)s)"),
    body=_("Raised %(raised)s and still not acknowledged. Acknowledge it with what will be done."),
    labels={"kind": lambda v: EarlyWarning.Kind(v).label, "severity": lambda v: EarlyWarning.Severity(v).label},
)
NOTICES.add(
    WARNING_ACKNOWLEDGED,
    subject=_("%(kind)s in %(country)s acknowledged by %(user)s"),
    body="%(note)s",
    labels={"kind": lambda v: EarlyWarning.Kind(v).label},
)
