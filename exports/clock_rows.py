"""The warning-to-response clock as two exports: its figures (one row per grouping, group and
stage, durations in hours) and the warning-response gap (one row per warning).

Both read the warnings the user may see (as the ledger is read), narrowed by the export's country
and region; the figures by the raised date falling in the period and dates chosen. The gap is
about today, so the dates do not narrow it. Each costs scans.clock's fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.permissions import warnings_visible_to
from scans.clock import Clock, StageFigures, clock_figures, hours, response_gap
from scans.models import EarlyWarning

from . import selectors
from .datasets import Dataset, labels
from .models import Kind


@dataclass
class FiguresDataset:
    """Figures computed beforehand: a few hundred rows at most, held in memory."""

    title: str
    headers: list[str]
    values: list[list]

    def count(self) -> int:
        return len(self.values)

    def rows(self) -> Iterator[list]:
        yield from self.values


def _warnings(user, filters: selectors.Filters):
    warnings = warnings_visible_to(user, EarlyWarning.objects.all())
    if filters.country_id:
        warnings = warnings.filter(country_id=filters.country_id)
    if filters.region_id:
        warnings = warnings.filter(country__region_id=filters.region_id)
    return warnings


def _clock(user, filters: selectors.Filters, now: dt.datetime) -> Clock:
    warnings = _warnings(user, filters)
    first, last = filters.date_range()
    if first:
        warnings = warnings.filter(raised_at__date__gte=first)
    if last:
        warnings = warnings.filter(raised_at__date__lte=last)
    return clock_figures(warnings=warnings, period=None, now=now, gap_days=settings.WARNING_GAP_DAYS, gap_limit=0)


def _stage_row(grouping: str, group: str, warnings: int, s: StageFigures) -> list:
    return [grouping, group, warnings, s.label, s.count, hours(s.median), hours(s.p90)]


def clock_dataset(user, filters: selectors.Filters) -> FiguresDataset:
    clock = _clock(user, filters, timezone.now())
    everything = _("All warnings")
    values = [_stage_row(everything, everything, clock.warnings, s) for s in clock.stages]
    for grouping in clock.groupings:
        values += [_stage_row(grouping.label, g.label, g.warnings, s) for g in grouping.groups for s in g.stages]
    headers = [
        _("Grouped by"), _("Group"), _("Warnings raised"), _("Stage"), _("Warnings that reached it"),
        _("Median (hours, nearest-rank)"), _("90th percentile (hours, nearest-rank)"),
    ]
    return FiguresDataset(str(Kind.CLOCK.label), headers, values)


def gap_dataset(user, filters: selectors.Filters) -> Dataset:
    now = timezone.now()
    kinds, severities, states = labels(EarlyWarning.Kind), labels(EarlyWarning.Severity), labels(EarlyWarning.State)
    qs = response_gap(_warnings(user, filters), now=now, days=settings.WARNING_GAP_DAYS).values(
        "id", "country__name", "country__iso3", "country__region__name", "kind", "severity", "raised_at", "state"
    )

    def to_row(v: dict) -> list:
        return [
            v["id"], v["country__name"], v["country__iso3"], v["country__region__name"], kinds.get(v["kind"], ""),
            severities.get(v["severity"], ""), v["raised_at"], states.get(v["state"], ""), (now - v["raised_at"]).days,
        ]

    headers = [
        _("Warning"), _("Country"), _("ISO3"), _("Region"), _("Kind"), _("Severity"), _("Raised at (UTC)"), _("State"),
        _("Days open"),
    ]
    return Dataset(str(Kind.GAP.label), headers, qs, to_row)
