"""The warning-to-response clock as the EOSG dashboard (page and API) shows it: scans.clock's
figures over the warnings the reader may see, narrowed to the dashboard's region filter."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from hruf.models import Region
from hruf.permissions import warnings_visible_to
from scans.clock import Clock, clock_figures
from scans.models import EarlyWarning
from scans.periods import Period


def dashboard_clock(*, user, region: Region | None, period: Period | None, gap_days: int | None, now: dt.datetime) -> Clock:
    warnings = warnings_visible_to(user, EarlyWarning.objects.all())
    if region:
        warnings = warnings.filter(country__region=region)
    return clock_figures(
        warnings=warnings, period=period, now=now, gap_days=gap_days or settings.WARNING_GAP_DAYS,
        gap_limit=settings.DASHBOARD_OVERDUE_LIMIT,
    )
