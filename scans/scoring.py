"""The risk score of a scan: one pure function, explainable to the person reading it.

score = the share of the maximum possible points, 0-100: every rated indicator
(matrix and case-specific alike) adds its rating (0 not observed .. 3 severe) out of 3.
tier  = from the score, raised to at least "high" when any indicator is severe and to
"very high" when three or more are, because one severe sign must never be averaged away.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

MAX_RATING = 3
SEVERE = 3


class Tier(models.TextChoices):
    LOW = "low", pgettext_lazy("risk tier", "Low")
    MODERATE = "moderate", pgettext_lazy("risk tier", "Moderate")
    HIGH = "high", pgettext_lazy("risk tier", "High")
    VERY_HIGH = "very_high", pgettext_lazy("risk tier", "Very high")


TIER_ORDER = [Tier.LOW, Tier.MODERATE, Tier.HIGH, Tier.VERY_HIGH]
# Lowest score of each tier above "low".


def tier_thresholds() -> dict[str, int]:
    """The score from which each tier above low starts (settings SCORE_TIER_*_FROM)."""
    return {
        Tier.MODERATE: settings.SCORE_TIER_MODERATE_FROM,
        Tier.HIGH: settings.SCORE_TIER_HIGH_FROM,
        Tier.VERY_HIGH: settings.SCORE_TIER_VERY_HIGH_FROM,
    }


@dataclass(frozen=True)
class RatingInput:
    key: str  # stable across matrix versions: the indicator's code or "case:<id>"
    label: str
    rating: int | None
    trend: str = ""


@dataclass(frozen=True)
class Driver:
    key: str
    label: str
    rating: int
    points_share: int  # percent of the scan's points that this indicator contributes
    worsening: bool


@dataclass(frozen=True)
class Movement:
    key: str
    label: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int:
        return (self.after or 0) - (self.before or 0)


@dataclass
class ScoreResult:
    score: int
    tier: str
    rated: int
    points: int
    worsening: int
    drivers: list[Driver] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def tier_for_score(score: int) -> str:
    tier = Tier.LOW
    for candidate, threshold in tier_thresholds().items():
        if score >= threshold:
            tier = candidate
    return tier


def score_ratings(ratings: list[RatingInput]) -> ScoreResult:
    rated = [r for r in ratings if r.rating is not None]
    points = sum(r.rating for r in rated)
    score = round(100 * points / (MAX_RATING * len(rated))) if rated else 0
    tier = tier_for_score(score)
    reasons = [
        ngettext(
            "Score %(score)s of 100: %(points)s of %(max)s possible points over %(n)s indicator.",
            "Score %(score)s of 100: %(points)s of %(max)s possible points over %(n)s indicators.",
            len(rated),
        )
        % {"score": score, "points": points, "max": MAX_RATING * len(rated), "n": len(rated)}
    ]
    severe = [r for r in rated if r.rating >= SEVERE]
    if len(severe) >= settings.SCORE_SEVERE_FOR_VERY_HIGH and tier != Tier.VERY_HIGH:
        tier = Tier.VERY_HIGH
        reasons.append(
            _("Raised to very high: %(n)s indicators are rated severe.") % {"n": len(severe)}
        )
    elif severe and TIER_ORDER.index(tier) < TIER_ORDER.index(Tier.HIGH):
        tier = Tier.HIGH
        reasons.append(_("Raised to high: “%(label)s” is rated severe.") % {"label": severe[0].label})

    drivers = sorted(
        (
            Driver(
                key=r.key,
                label=r.label,
                rating=r.rating,
                points_share=round(100 * r.rating / points) if points else 0,
                worsening=r.trend == "worsening",
            )
            for r in rated
            if r.rating > 0
        ),
        key=lambda d: (-d.rating, not d.worsening, d.label),
    )
    return ScoreResult(
        score=score,
        tier=tier,
        rated=len(rated),
        points=points,
        worsening=sum(1 for r in rated if r.trend == "worsening"),
        drivers=drivers,
        reasons=reasons,
    )


def movements(previous: list[RatingInput], current: list[RatingInput]) -> list[Movement]:
    """Indicators whose rating changed since the previous scan, biggest change first.

    Indicators are matched on their key, so a new matrix version still compares
    with the last scan on the indicators the two share.
    """
    before = {r.key: r for r in previous}
    moved = []
    for r in current:
        old = before.get(r.key)
        old_rating = old.rating if old else None
        if old is not None and old_rating != r.rating:
            moved.append(Movement(key=r.key, label=r.label, before=old_rating, after=r.rating))
    return sorted(moved, key=lambda m: (-abs(m.delta), m.label))
