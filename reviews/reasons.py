"""Why the app proposes a country for a review: each reason a code with plain parameters, stored
on the agenda item and in the frozen ranking, and rendered in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hruf.codes import LEGACY, Catalogue, coded
from scans.scoring import Tier

from .models import meeting_title

REASONS = Catalogue("proposal reasons", fallback={"text": _("Proposed for a reason that can no longer be shown.")})

TIER = "tier"
SCORE_ROSE = "score_rose"
ALERTS = "alerts"
OVERDUE_ACTIONS = "overdue_actions"
ESCALATED_BY = "escalated_by"
OPEN_WARNINGS = "open_warnings"
MISSING_SCAN = "missing_scan"
URGENT_ALERT = "urgent_alert"
MONITORING_DECIDED = "monitoring_decided"

REASONS.add(LEGACY, text="%(text)s")
REASONS.add(TIER, text=_("Tier is %(tier)s."), labels={"tier": lambda v: Tier(v).label.lower()})
REASONS.add(SCORE_ROSE, text=_("Score rose by %(n)s points since the previous scan."))
REASONS.add(ALERTS, text=ngettext_lazy(
    "%(n)s urgent alert since the last review.", "%(n)s urgent alerts since the last review.", "n"))
REASONS.add(OVERDUE_ACTIONS, text=ngettext_lazy(
    "%(n)s follow-up action overdue.", "%(n)s follow-up actions overdue.", "n"))
REASONS.add(OPEN_WARNINGS, text=ngettext_lazy(
    "%(n)s open warning waits for this review.", "%(n)s open warnings wait for this review.", "n"))
REASONS.add(MISSING_SCAN, text=_("No scan for the quarter: a country at high risk or under follow-up has gone silent."))
REASONS.add(ESCALATED_BY, text=_("Escalated by %(meeting)s."), labels={"meeting": meeting_title})
REASONS.add(URGENT_ALERT, text=_("Urgent alert: %(title)s"))
REASONS.add(MONITORING_DECIDED, text=_("Monitoring decided at %(meeting)s."), labels={"meeting": meeting_title})


def reason(code: str, **params) -> dict:
    if code not in REASONS.entries:
        raise ValueError(f"unknown proposal reason {code!r}")
    return coded(code, **params)


def render_reason(stored, *, language: str | None = None) -> str:
    """One stored reason in `language` (default: the active one). A reason that is not the
    stored shape (data edited by hand) renders the fallback, not an error."""
    if not isinstance(stored, dict):
        return REASONS.render("", {}, "text", language=language)
    return REASONS.render(stored.get("code", ""), stored.get("params"), "text", language=language)


def render_reasons(stored, *, language: str | None = None) -> list[str]:
    return [render_reason(r, language=language) for r in (stored or [])]
