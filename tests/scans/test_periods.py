import datetime as dt

import pytest

from scans.periods import Period


def test_it_finds_the_quarter_and_month_of_a_day():
    assert Period.containing(dt.date(2026, 11, 27), "quarterly").code == "2026-Q4"
    assert Period.containing(dt.date(2026, 11, 27), "monthly").code == "2026-11"


def test_it_steps_across_year_ends():
    assert Period.parse("2026-Q4").next().code == "2027-Q1"
    assert Period.parse("2027-Q1").previous().code == "2026-Q4"
    assert Period.parse("2026-01").previous().code == "2025-12"
    assert Period.parse("2026-12").end == dt.date(2026, 12, 31)


def test_it_reads_codes_in_any_case_and_rejects_others():
    assert Period.parse(" 2026-q3 ") == Period(dt.date(2026, 7, 1), "quarterly")
    for bad in ("2026-Q5", "2026-13", "26-Q1", "", "2026/07"):
        with pytest.raises(ValueError):
            Period.parse(bad)


def test_it_puts_the_due_date_inside_the_period(settings):
    settings.SCAN_DUE_DAY_QUARTERLY = 60
    assert Period.parse("2026-Q1").due_date == dt.date(2026, 3, 1)
