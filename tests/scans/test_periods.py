import datetime as dt

import pytest

from hruf.models import Country
from scans.periods import Period, current_period, is_period_of, kind_for, previous_period


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


def _country(enhanced: bool, monthly_from: dt.date | None):
    # Plain, unsaved: the period rules read two fields and nothing else.
    return Country(name="X", enhanced_reporting=enhanced, monthly_from=monthly_from)


def test_a_country_reports_quarterly_until_its_monthly_start_and_monthly_from_it():
    country = _country(True, dt.date(2026, 11, 1))
    assert kind_for(country, dt.date(2026, 10, 31)) == "quarterly"
    assert kind_for(country, dt.date(2026, 11, 1)) == "monthly"
    assert current_period(country, dt.date(2026, 10, 15)).code == "2026-Q4"
    assert current_period(country, dt.date(2026, 11, 2)).code == "2026-11"
    # The first month follows the quarter monthly reporting began in, not the month before it.
    assert previous_period(country, Period.parse("2026-11")).code == "2026-Q4"
    assert previous_period(country, Period.parse("2026-12")).code == "2026-11"


def test_an_empty_start_means_monthly_on_every_day_and_no_enhanced_reporting_means_quarterly():
    already = _country(True, None)  # enhanced before the start was recorded
    assert kind_for(already, dt.date(2000, 1, 1)) == kind_for(already, dt.date(2026, 10, 15)) == "monthly"
    plain = _country(False, dt.date(2026, 11, 1))  # the start is read only under enhanced reporting
    assert kind_for(plain, dt.date(2027, 1, 1)) == "quarterly"


def test_only_the_periods_a_country_files_today_are_its_periods():
    country = _country(True, dt.date(2026, 11, 1))
    october, november = dt.date(2026, 10, 15), dt.date(2026, 11, 2)
    assert is_period_of(country, Period.parse("2026-Q4"), october)
    assert is_period_of(country, Period.parse("2026-Q3"), october)
    assert not is_period_of(country, Period.parse("2026-10"), october)
    # Once monthly reporting starts, the interrupted quarter and the months before it are not owed.
    assert not is_period_of(country, Period.parse("2026-Q4"), november)
    assert not is_period_of(country, Period.parse("2026-10"), november)
    assert is_period_of(country, Period.parse("2026-11"), november)
