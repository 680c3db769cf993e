"""Notifications that reviews send (hruf.notices); loaded by ReviewsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from hruf.notices import NOTICES

from .models import Decision, meeting_title

ESCALATED = "reviews.escalated"
SAG_DECISION = "reviews.sag_decision"
ALERT_FLAGGED = "reviews.alert_flagged"

NOTICES.add(
    ESCALATED,
    subject=_("Escalated to the SAG: %(country)s"),
    body=_("%(meeting)s escalated %(country)s to the Senior Action Group."),
    labels={"meeting": meeting_title},
)
# The bodies below are the chair's or the officer's own words, shown as written.
NOTICES.add(
    SAG_DECISION,
    subject=_("SAG decision on %(country)s: %(decision)s"),
    body="%(text)s",
    labels={"decision": lambda v: Decision(v).label},
)
NOTICES.add(ALERT_FLAGGED, subject=_("Urgent alert for the SAG: %(country)s"), body="%(text)s")
