"""The Framework of Analysis lens: a scan's simple-matrix ratings rolled up to the UN Framework of Analysis
for Atrocity Crimes (2014), its fourteen risk factors and the three crime groups that the SAG, the Special
Adviser and the Security Council reason in.

Each indicator (and each case-specific indicator given a mapping) informs the risk factors it is mapped to,
in the scan's own matrix version. A factor reads the highest rating among the indicators that inform it and
were rated; a factor no rated indicator informs reads "no information", which is not the same as "not
observed". A crime group reads its factors (common factors 1 to 8; genocide 9 and 10; crimes against humanity
11 and 12; war crimes 13 and 14) and is flagged when any of them is serious (2) or severe (3).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from hruf.translated import pick

from .models import CaseIndicator, Indicator, Rating, RiskFactor

GROUPS = [
    ("common", _("Common risk factors"), range(1, 9)),
    ("genocide", _("Genocide"), range(9, 11)),
    ("crimes_against_humanity", _("Crimes against humanity"), range(11, 13)),
    ("war_crimes", _("War crimes"), range(13, 15)),
]
FLAGGED_FROM = Rating.Level.SERIOUS


@dataclass
class Source:
    """A rated indicator behind a factor, pointing at the rating on the page."""

    label: str
    rating: int
    rating_id: int


@dataclass
class FactorReading:
    number: int
    name: str
    sources: list[Source] = field(default_factory=list)

    @property
    def level(self) -> int | None:
        """The highest rating behind it; None when nothing rated informs it ("no information")."""
        return max((s.rating for s in self.sources), default=None)


@dataclass
class GroupReading:
    key: str
    label: str
    factors: list[FactorReading]

    @property
    def level(self) -> int | None:
        return max((f.level for f in self.factors if f.level is not None), default=None)

    @property
    def flagged(self) -> bool:
        return self.level is not None and self.level >= FLAGGED_FROM

    @property
    def unknown(self) -> list[FactorReading]:
        return [f for f in self.factors if f.level is None]


def framework_lens(ratings: Iterable[Rating]) -> list[GroupReading]:
    """The four groups with their factors, read from these ratings (one revision's). Three queries, however
    many ratings: the factors, and the two mappings."""
    ratings = list(ratings)
    return _groups(ratings, _Mapping(ratings))


def framework_lenses(revision_ids: Iterable[int]) -> dict[int, list[GroupReading]]:
    """The lens of each of these revisions (an agenda's countries): four queries, however many."""
    by_revision: dict[int, list[Rating]] = {pk: [] for pk in revision_ids}
    if not by_revision:
        return {}
    ratings = list(Rating.objects.filter(revision_id__in=by_revision).select_related("indicator", "case_indicator"))
    for rating in ratings:
        by_revision[rating.revision_id].append(rating)
    mapping = _Mapping(ratings)
    return {pk: _groups(rows, mapping) for pk, rows in by_revision.items()}


class _Mapping:
    """The factors, and which factor numbers each indicator and case-specific indicator of these ratings informs."""

    def __init__(self, ratings: list[Rating]):
        self.names = {number: pick(name, translations, "name") for number, name, translations
                      in RiskFactor.objects.order_by("number").values_list("number", "name", "translations")}
        self.indicators = _numbers(Indicator, {r.indicator_id for r in ratings if r.indicator_id})
        self.cases = _numbers(CaseIndicator, {r.case_indicator_id for r in ratings if r.case_indicator_id})

    def of(self, rating: Rating) -> list[int]:
        if rating.indicator_id:
            return self.indicators.get(rating.indicator_id, [])
        return self.cases.get(rating.case_indicator_id or 0, [])


def _groups(ratings: list[Rating], mapping: _Mapping) -> list[GroupReading]:
    factors = {n: FactorReading(n, name) for n, name in mapping.names.items()}
    for rating in ratings:
        if rating.rating is not None:
            for number in mapping.of(rating):
                factors[number].sources.append(Source(rating.label, rating.rating, rating.pk))
    return [GroupReading(key, str(label), [factors[n] for n in numbers if n in factors])
            for key, label, numbers in GROUPS]


def _numbers(model, ids: set[int]) -> dict[int, list[int]]:
    if not ids:
        return {}
    through = model.risk_factors.through
    own = f"{model._meta.model_name}_id"
    numbers: dict[int, list[int]] = {}
    for owner, number in through.objects.filter(**{f"{own}__in": ids}).values_list(own, "riskfactor__number"):
        numbers.setdefault(owner, []).append(number)
    return numbers


# --- the summary an agenda card shows, frozen with a published agenda ------------------------------


@dataclass(frozen=True)
class LensSummary:
    """Which crime groups are flagged and which factors have no information, from each factor's level."""

    levels: dict[int, int | None]

    @classmethod
    def of(cls, groups: list[GroupReading]) -> LensSummary:
        return cls({f.number: f.level for g in groups for f in g.factors})

    @classmethod
    def from_json(cls, stored: dict) -> LensSummary | None:
        return cls({int(n): level for n, level in stored["levels"].items()}) if stored else None

    def as_json(self) -> dict:
        return {"levels": {str(n): level for n, level in self.levels.items()}}

    @property
    def flagged(self) -> list[str]:
        return [str(label) for _key, label, numbers in GROUPS
                if any((self.levels.get(n) or 0) >= FLAGGED_FROM for n in numbers)]

    @property
    def unknown(self) -> list[int]:
        return sorted(n for n, level in self.levels.items() if level is None)
