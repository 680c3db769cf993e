"""Reporting periods: quarterly by default, monthly under enhanced reporting.

A period is named by a short code ("2026-Q3", "2026-07") that is stored on each scan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

QUARTERLY = "quarterly"
MONTHLY = "monthly"

_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    kind: str

    @classmethod
    def containing(cls, day: dt.date, kind: str) -> Period:
        if kind == MONTHLY:
            return cls(dt.date(day.year, day.month, 1), MONTHLY)
        return cls(dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), QUARTERLY)

    @classmethod
    def parse(cls, code: str) -> Period:
        code = (code or "").strip().upper()
        quarter, month = _QUARTER_RE.match(code), _MONTH_RE.match(code)
        if (quarter or month) and 2000 <= int(code[:4]) <= 2999:
            if quarter:
                return cls(dt.date(int(quarter[1]), 3 * (int(quarter[2]) - 1) + 1, 1), QUARTERLY)
            return cls(dt.date(int(month[1]), int(month[2]), 1), MONTHLY)
        raise ValueError(_("“%(code)s” is not a period: use 2026-Q3 for a quarter or 2026-07 for a month.") % {"code": code})

    @property
    def months(self) -> int:
        return 1 if self.kind == MONTHLY else 3

    @property
    def code(self) -> str:
        if self.kind == MONTHLY:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Period:
        month = self.start.month - 1 + self.months
        return Period(dt.date(self.start.year + month // 12, month % 12 + 1, 1), self.kind)

    def previous(self) -> Period:
        month = self.start.month - 1 - self.months
        return Period(dt.date(self.start.year + month // 12, month % 12 + 1, 1), self.kind)

    @property
    def due_date(self) -> dt.date:
        days = settings.SCAN_DUE_DAY_MONTHLY if self.kind == MONTHLY else settings.SCAN_DUE_DAY_QUARTERLY
        return self.start + dt.timedelta(days=days - 1)

    def __str__(self) -> str:
        return self.code


def kind_for(country, day: dt.date) -> str:
    """The kind of period the country reports in on `day`: monthly from the day its enhanced
    reporting starts (Country.reports_monthly_on), quarterly before."""
    return MONTHLY if country.reports_monthly_on(day) else QUARTERLY


def current_period(country, today: dt.date) -> Period:
    return Period.containing(today, kind_for(country, today))


def previous_period(country, period: Period) -> Period:
    """The country's period before `period`: the first month of monthly reporting follows the
    quarter it started in, not the month before it."""
    day = period.start - dt.timedelta(days=1)
    return Period.containing(day, kind_for(country, day))


def is_period_of(country, period: Period, today: dt.date) -> bool:
    """Whether `period` is one the country files (and is reminded of, and overdue for) as of
    `today`: a period of the kind it reports in today, that began under that kind. A quarter
    still running when monthly reporting starts is filed until then and never owed after; a
    month that began before monthly reporting is never owed at all."""
    kind = kind_for(country, today)
    return period.kind == kind and kind_for(country, period.start) == kind
