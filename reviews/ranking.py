"""Ranking a region's countries for a review and proposing which to discuss: pure functions.

Every country is ranked, none is dropped: a country without a submitted scan for the
quarter keeps its last known risk and is flagged as missing; one never scanned ranks last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scans.scoring import TIER_ORDER, Tier

from .reasons import ALERTS, MISSING_SCAN, MONITORING_DECIDED, OPEN_WARNINGS, OVERDUE_ACTIONS, SCORE_ROSE, TIER, reason


@dataclass(frozen=True)
class CountryRisk:
    country_id: int
    name: str
    score: int | None = None
    tier: str = ""
    previous_score: int | None = None
    worsening: int = 0
    alerts: int = 0
    missing: bool = False
    enhanced: bool = False
    period: str = ""
    revision_id: int | None = None
    open_actions: int = 0
    overdue_actions: int = 0
    warnings: int = 0  # open warnings a regional review answers
    monitored_at: dict | None = None  # the title of the review that decided to keep monitoring it, if still open

    @property
    def change(self) -> int | None:
        if self.score is None or self.previous_score is None:
            return None
        return self.score - self.previous_score


@dataclass
class RankedCountry:
    rank: int
    risk: CountryRisk
    reasons: list[dict] = field(default_factory=list)  # codes of reviews.reasons

    @property
    def proposed(self) -> bool:
        return bool(self.reasons)

    def as_row(self) -> dict:
        """The row as shown and as frozen into a published agenda (JSON-safe)."""
        c = self.risk
        return {
            "rank": self.rank, "country_id": c.country_id, "name": c.name, "score": c.score, "tier": c.tier,
            "change": c.change, "worsening": c.worsening, "alerts": c.alerts, "missing": c.missing,
            "enhanced": c.enhanced, "period": c.period, "revision_id": c.revision_id,
            "open_actions": c.open_actions, "overdue_actions": c.overdue_actions, "warnings": c.warnings,
            "reasons": self.reasons,
        }


def _sort_key(c: CountryRisk):
    never_scanned = c.score is None
    tier = TIER_ORDER.index(c.tier) if c.tier else -1
    return (never_scanned, -tier, -(c.score or 0), -(c.change or 0), -c.alerts, -c.worsening, c.name)


def proposal_reasons(c: CountryRisk, *, jump_threshold: int) -> list[dict]:
    """Why the country is proposed, as codes of reviews.reasons (rendered when read)."""
    reasons = []
    high = bool(c.tier) and TIER_ORDER.index(Tier(c.tier)) >= TIER_ORDER.index(Tier.HIGH)
    if high:
        reasons.append(reason(TIER, tier=str(c.tier)))
    if c.change is not None and c.change >= jump_threshold:
        reasons.append(reason(SCORE_ROSE, n=c.change))
    if c.alerts:
        reasons.append(reason(ALERTS, n=c.alerts))
    if c.overdue_actions:
        reasons.append(reason(OVERDUE_ACTIONS, n=c.overdue_actions))
    if c.warnings:
        reasons.append(reason(OPEN_WARNINGS, n=c.warnings))
    # Silence is a sign where the risk was high or follow-up is under way.
    if c.missing and (high or c.open_actions):
        reasons.append(reason(MISSING_SCAN))
    # A review that kept monitoring the country committed to discuss it at the next one.
    if c.monitored_at is not None:
        reasons.append(reason(MONITORING_DECIDED, meeting=c.monitored_at))
    return reasons


def rank_countries(countries: list[CountryRisk], *, jump_threshold: int) -> list[RankedCountry]:
    """Highest risk first: tier, then score, then the rise since last time, then alerts."""
    ordered = sorted(countries, key=_sort_key)
    return [
        RankedCountry(rank=i, risk=c, reasons=proposal_reasons(c, jump_threshold=jump_threshold))
        for i, c in enumerate(ordered, start=1)
    ]
