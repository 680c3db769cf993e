"""Notifications that follow-up sends (hruf.notices); loaded by FollowupConfig.ready."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hruf.notices import NOTICES, notice_subject
from scans.scoring import Tier

from .models import EnforcementEvent

ACTION_ASSIGNED = "followup.action_assigned"
OVERDUE = "followup.overdue"
REMINDER = "followup.reminder"
SCAN_REMINDER = "followup.scan_reminder"
SCAN_OVERDUE = "followup.scan_overdue"
RISK_JUMP = "followup.risk_jump"
DIGEST = "followup.digest"
PLAN_ADOPTED = "followup.plan_adopted"
ACTION_CANCELLED = "followup.action_cancelled"
ACTION_REOPENED = "followup.action_reopened"
DEADLINE_EXTENDED = "followup.deadline_extended"
PLAN_CLOSED = "followup.plan_closed"
OUTCOME_MISSING = "followup.outcome_missing"

NOTICES.add(PLAN_ADOPTED, subject=_("A follow-up plan was adopted for %(country)s"),
            body=_("Its actions, leads and deadlines are on the plan's page."))
NOTICES.add(PLAN_CLOSED, subject=_("Follow-up plan closed: %(title)s (%(country)s)"),
            body=_("Closed by %(who)s with its outcome; it is on the plan's page."))
NOTICES.add(OUTCOME_MISSING, subject=_("Plan waiting for its outcome: %(title)s (%(country)s)"),
            body=_("Every action has been closed since %(date)s: the plan's region chair or EOSG closes it with its outcome."))
NOTICES.add(ACTION_ASSIGNED, subject=_("New action for you: %(title)s (%(country)s)"), body=_("Deadline %(date)s."))
NOTICES.add(ACTION_CANCELLED, subject=_("Action cancelled: %(title)s (%(country)s)"),
            body=_("Cancelled by %(owner)s; the reason is on the action's page. The plan's chair or EOSG may reopen it."))
NOTICES.add(ACTION_REOPENED, subject=_("Action reopened: %(title)s (%(country)s)"),
            body=_("It is in progress again; the reason is in its log."))
NOTICES.add(DEADLINE_EXTENDED, subject=_("Deadline extended to %(date)s: %(title)s (%(country)s)"),
            body=_("It was due %(old)s; the reason is on the action's page."))
NOTICES.add(
    OVERDUE,
    subject=_("Overdue (%(step)s): %(label)s, %(country)s"),
    body=_("Due %(date)s; owner %(owner)s."),
    labels={"step": lambda v: EnforcementEvent.Kind(v).label},
)
NOTICES.add(
    REMINDER,
    subject=_("Due %(date)s: %(label)s, %(country)s"),
    body=_("Update its status or benchmarks on the action's page."),
)
NOTICES.add(SCAN_REMINDER, subject=_("Scan of %(country)s for %(period)s due %(date)s"), body="")
NOTICES.add(SCAN_OVERDUE, subject=_("Scan of %(country)s for %(period)s is overdue (due %(date)s)"), body="")
# Sent before the warnings ledger (scans.notices.RISK_ROSE took over); kept to show old rows.
NOTICES.add(
    RISK_JUMP,
    subject=_("Risk rising in %(country)s: score %(score)s, %(tier)s"),
    body=_("Proposed for the next regional review."),
    labels={"tier": lambda v: Tier(v).label.lower()},
)


def _digest_subject(p: dict) -> str:
    return gettext("Your weekly HRuF digest: %(due)s due, %(overdue)s overdue, %(changed)s updates") % {
        "due": len(p["due"]), "overdue": len(p["overdue"]), "changed": len(p["changed"])
    }


def _digest_body(p: dict) -> str:
    """`due` and `overdue` are [title, ISO date] pairs; `changed` the held notifications' own
    codes and parameters, so each is rendered in the digest reader's language too."""
    lines = [gettext("Due within 7 days:"), *(f"- {title} ({date})" for title, date in p["due"])]
    lines += [gettext("Overdue:"), *(f"- {title} ({date})" for title, date in p["overdue"])]
    lines += [gettext("What changed:"),
              *(f"- {notice_subject(n['code'], n['params'])}" for n in p["changed"])]
    return "\n".join(lines)


NOTICES.add(DIGEST, subject=_digest_subject, body=_digest_body)
