"""The monthly briefing carries the warning-to-response clock for its month (print view and PDF)."""

import datetime as dt

import pytest
from django.urls import reverse

from briefings import services
from briefings.models import BriefingPack
from briefings.selectors import monthly_briefing
from scans.models import EarlyWarning, WarningStep

from .conftest import AUGUST, at, pdf_text

H, D = dt.timedelta(hours=1), dt.timedelta(days=1)


@pytest.fixture
def august(time_machine, country_a, country_c):
    """Two warnings raised in August (acknowledged after 5 h and 3 days; the second decided on
    5 September), one in July that nobody answered, and one in September."""
    time_machine.move_to(at(2026, 9, 10, 9), tick=False)

    def warning(country, raised, **steps):
        w = EarlyWarning.objects.create(country=country, kind="alert", severity="severe", raised_at=raised, act_by=raised)
        for kind, after in steps.items():
            WarningStep.objects.create(warning=w, kind=kind, key=f"{kind}-{w.pk}", at=raised + after)
        return w

    return {
        "a": warning(country_a, at(2026, 8, 3, 9), acknowledged=5 * H),
        "c": warning(country_c, at(2026, 8, 6, 9), acknowledged=3 * D, decided=30 * D),
        "july": warning(country_a, at(2026, 7, 1, 9)),
        "september": warning(country_c, at(2026, 9, 2, 9), acknowledged=H),
    }


def test_it_times_the_months_warnings_and_takes_the_gap_at_its_end(august):
    clock = monthly_briefing(AUGUST, dt.date(2026, 9, 10)).clock
    assert clock.period == AUGUST and clock.warnings == 2
    stages = {s.stage: (s.count, s.median, s.p90) for s in clock.stages}
    assert stages["acknowledged"] == (2, 5 * H, 3 * D)
    assert stages["decided"] == (1, 30 * D, 30 * D)
    # On 1 September, 30 days on: the July warning (61 full days) and country A's (29 days) are too young.
    assert [(r.warning, r.days_open) for r in clock.gap] == [(august["july"], 61)]


def test_the_print_view_and_the_pdf_carry_the_clock(august, login, eosg):
    page = login(eosg).get(reverse("briefings:monthly_print", args=["2026-08"])).content.decode()
    assert "Warning-to-response clock" in page and "2 warnings raised this month" in page
    assert "The warning-response gap as of 1 September 2026." in page
    pack = services.monthly_briefing_make(actor=None, month=AUGUST)
    pack.refresh_from_db()
    assert pack.state == BriefingPack.State.DONE, pack.error
    with pack.file.open("rb") as f:
        text = pdf_text(f.read())
    assert "Warning-to-response clock" in text
    assert "Acknowledged 2 5 h 3 d" in text
    assert "Country A Urgent alert Severe 1 Jul 2026 Waiting for acknowledgement 61" in text
