"""Notifications that reviews send (hruf.notices); loaded by ReviewsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from hruf.notices import NOTICES
from scans.models.warnings import STEP_DETAILS

from .models import Decision, meeting_title

ESCALATED = "reviews.escalated"
SAG_DECISION = "reviews.sag_decision"
ALERT_FLAGGED = "reviews.alert_flagged"
ENHANCED_CONFIRMED = "reviews.enhanced_confirmed"
ENHANCED_DECLINED = "reviews.enhanced_declined"

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

# News back to the field: the country's officers hear what the reviews do with their country.
ON_AGENDA = "reviews.on_agenda"
DECIDED = "reviews.decided"

NOTICES.add(
    ON_AGENDA,
    subject=_("%(country)s is on the agenda of %(meeting)s"),
    body=_("The agenda is published; the meeting is on %(date)s."),
    labels={"meeting": meeting_title},
)
NOTICES.add(
    DECIDED,
    subject=_("%(meeting)s on %(country)s: %(decision)s"),
    body="%(text)s",
    labels={"meeting": meeting_title, "decision": lambda v: Decision(v).label},
)

# What reviews adds to a warning's timeline (scans.models.warnings.STEP_DETAILS).
STEP_DETAILS.add("meeting", text="%(meeting)s", labels={"meeting": meeting_title})
STEP_DETAILS.add(
    "decision", text=_("%(meeting)s: %(decision)s"),
    labels={"meeting": meeting_title, "decision": lambda v: Decision(v).label},
)

def _confirmed_body(p: dict) -> str:
    if p.get("date"):
        return _("EOSG confirmed the recommendation of %(meeting)s: %(country)s reports monthly from %(date)s, "
                 "quarterly until then.") % p
    return _("EOSG confirmed the recommendation of %(meeting)s: %(country)s already reports monthly.") % p


# `date` is the first day of monthly reporting (ISO), or empty for a country already monthly.
NOTICES.add(
    ENHANCED_CONFIRMED,
    subject=_("Enhanced reporting confirmed for %(country)s"),
    body=_confirmed_body,
    labels={"meeting": meeting_title},
)
# The reason is EOSG's own words, shown as written.
NOTICES.add(
    ENHANCED_DECLINED,
    subject=_("Enhanced reporting declined for %(country)s"),
    body=_("EOSG declined the recommendation of %(meeting)s. Reason: %(text)s"),
    labels={"meeting": meeting_title},
)
