"""Notifications that reviews send (hruf.notices); loaded by ReviewsConfig.ready."""


from django.utils.translation import gettext_lazy as _

from hruf.codes import stored_day
from hruf.notices import NOTICES
from scans.models.warnings import STEP_DETAILS

from .models import Commitment, Decision, meeting_title

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


# --- commitments (reviews/commitments.py, reviews/commitment_sweeps.py) ---------------------------

COMMITMENT_MISSED = "reviews.commitment_missed"

_MISSED = {
    "plan": _("%(meeting)s decided on a follow-up plan for %(country)s, to be adopted by %(date)s: none has been."),
    "sag": _("%(meeting)s escalated %(country)s to the Senior Action Group, to be taken by %(date)s: no SAG "
             "meeting has taken it."),
    "enhanced": _("%(meeting)s recommended enhanced reporting for %(country)s, to be answered by %(date)s: EOSG "
                  "has neither confirmed nor declined it."),
    "monitor": _("%(meeting)s decided to keep monitoring %(country)s, to be discussed again by %(date)s: no "
                 "review has put it on its agenda."),
}


def _missed_body(p: dict) -> str:
    return str(_MISSED[p["kind"]]) % p


# `kind` is a Commitment.Kind, `date` the ISO day it was due, `rung` the rung of its ladder told.
NOTICES.add(
    COMMITMENT_MISSED,
    subject=_("Commitment missed: %(country)s"),
    body=_missed_body,
    labels={"meeting": meeting_title, "date": stored_day},
)

# A commitment's steps on a warning's timeline: `what` a Commitment.Kind, `date` the ISO due day,
# `told` who a missed one was told to (chairs, sag or eosg).
_TOLD = {
    "chairs": _("Missed: the region's chairs told."),
    "sag": _("Missed: the Senior Action Group told."),
    "eosg": _("Missed: EOSG told."),
}
_what = {"what": lambda v: Commitment.Kind(v).label, "date": stored_day}
STEP_DETAILS.add("commitment", text=_("%(what)s by %(date)s."), labels=_what)
STEP_DETAILS.add("commitment_met", text=_("Met: %(what)s."), labels=_what)
STEP_DETAILS.add("commitment_missed", text=lambda p: str(_TOLD[p["told"]]), labels=_what)
STEP_DETAILS.add("commitment_superseded", text=_("Superseded by a new decision: %(what)s."), labels=_what)
