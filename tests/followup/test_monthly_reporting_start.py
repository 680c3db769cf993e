"""Confirming enhanced reporting starts monthly scans with the next month: nothing backdated is owed."""

import datetime as dt

import pytest
from django.urls import reverse

from followup import enforcement
from followup.models import EnforcementEvent
from hruf.models import Country
from reviews import services as reviews
from reviews.models import Decision
from scans import services as scans
from scans.periods import Period
from scans.selectors import country_statuses

from ..factories import file_scan

pytestmark = pytest.mark.usefixtures("matrix")
Q3 = Period.parse("2026-Q3")
CONFIRMED_ON = dt.date(2026, 10, 15)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _scan_events(country):
    return [
        (e.kind, e.created_at.date(), e.detail_params["period"])
        for e in EnforcementEvent.objects.filter(country=country).order_by("created_at", "id")
    ]


@pytest.fixture
def recommended(region_a, chair_a, officer_a, country_a, time_machine):
    """Country A, its Q3 scan filed (no quarterly scan is owed), recommended for enhanced reporting."""
    Country.objects.exclude(pk=country_a.pk).delete()  # the reference countries only slow the sweeps down
    time_machine.move_to(_at(dt.date(2026, 9, 25)), tick=False)
    file_scan(country_a, officer_a, Q3, rating=3, evidence="e")
    meeting = reviews.rqr_create(actor=chair_a, region=region_a, quarter=Q3, date=dt.date(2026, 9, 25), chair=chair_a)
    reviews.agenda_publish(meeting=meeting, actor=chair_a, lock_version=meeting.lock_version)
    item = meeting.items.get(country=country_a)
    return reviews.item_record(item=item, actor=chair_a, lock_version=0, summary="s", agreed_tier="",
                               agreed_tier_reason="", decision=Decision.ENHANCED, decision_reason="r", dissent="")


def test_a_confirmation_mid_month_owes_nothing_that_day_nor_for_the_month_running(
    recommended, eosg, country_a, time_machine
):
    time_machine.move_to(_at(CONFIRMED_ON), tick=False)
    country = reviews.enhanced_reporting_confirm(item=recommended, actor=eosg)
    assert (country.enhanced_reporting, country.monthly_from) == (True, dt.date(2026, 11, 1))

    enforcement.sweep_scans_due(now=_at(CONFIRMED_ON))
    assert _scan_events(country_a) == []
    (status,) = country_statuses(Country.objects.filter(pk=country_a.pk), CONFIRMED_ON)
    assert (status.period.code, status.status) == ("2026-Q4", "not_started")
    for day in (dt.date(2026, 10, 21), dt.date(2026, 10, 31)):  # October's monthly due date, 20 Oct, has passed
        time_machine.move_to(_at(day), tick=False)
        enforcement.sweep_scans_due(now=_at(day))
    assert _scan_events(country_a) == []


def test_the_first_monthly_scan_is_reminded_and_overdue_on_its_normal_dates(
    recommended, eosg, country_a, officer_a, chair_a, time_machine
):
    time_machine.move_to(_at(CONFIRMED_ON), tick=False)
    reviews.enhanced_reporting_confirm(item=recommended, actor=eosg)
    day = CONFIRMED_ON
    while day <= dt.date(2026, 12, 31):
        time_machine.move_to(_at(day), tick=False)
        enforcement.sweep_scans_due(now=_at(day))
        day += dt.timedelta(days=1)
    november, december = Period.parse("2026-11"), Period.parse("2026-12")
    assert (november.due_date, december.due_date) == (dt.date(2026, 11, 20), dt.date(2026, 12, 20))
    # Neither October nor the quarter monthly reporting interrupted (due 29 Nov) is ever chased.
    assert _scan_events(country_a) == [
        ("scan_reminder", dt.date(2026, 11, 13), "2026-11"),
        ("scan_overdue", dt.date(2026, 11, 21), "2026-11"),
        ("scan_reminder", dt.date(2026, 12, 13), "2026-12"),
        ("scan_overdue", dt.date(2026, 12, 21), "2026-12"),
    ]
    (status,) = country_statuses(Country.objects.filter(pk=country_a.pk), dt.date(2026, 11, 21))
    assert (status.period.code, status.status) == ("2026-11", "overdue")


def test_the_quarter_can_be_filed_until_monthly_reporting_starts_then_only_months(
    recommended, eosg, country_a, officer_a, time_machine
):
    time_machine.move_to(_at(CONFIRMED_ON), tick=False)
    country_a = reviews.enhanced_reporting_confirm(item=recommended, actor=eosg)
    october = dt.date(2026, 10, 20)
    with pytest.raises(scans.ScanError, match="reports quarterly; 2026-10 is not one of its periods"):
        scans.scan_start(country=country_a, period=Period.parse("2026-10"), actor=officer_a, today=october)
    quarter = scans.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a, today=october)
    assert quarter.period == "2026-Q4"

    november = dt.date(2026, 11, 2)
    with pytest.raises(scans.ScanError, match="reports monthly; 2026-Q1 is not one of its periods"):
        scans.scan_start(country=country_a, period=Period.parse("2026-Q1"), actor=officer_a, today=november)
    with pytest.raises(scans.ScanError, match="reports monthly; 2026-Q4 is not one of its periods"):
        scans.scan_start(country=country_a, period=Period.parse("2026-Q4"), actor=officer_a, today=november)
    with pytest.raises(scans.ScanError, match="reports monthly from 1 November 2026; 2026-10 began before that"):
        scans.scan_start(country=country_a, period=Period.parse("2026-10"), actor=officer_a, today=november)
    assert scans.scan_start(country=country_a, period=Period.parse("2026-11"), actor=officer_a, today=november).pk


def test_a_confirmation_on_the_first_of_a_month_starts_with_the_next_one(recommended, eosg, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 1, 0, 30, tzinfo=dt.UTC), tick=False)
    assert reviews.enhanced_reporting_confirm(item=recommended, actor=eosg).monthly_from == dt.date(2026, 11, 1)


def test_a_country_already_monthly_stays_monthly(recommended, eosg, country_a, time_machine):
    """Enhanced before its start was recorded (the empty start): a new confirmation moves nothing back."""
    Country.objects.filter(pk=country_a.pk).update(enhanced_reporting=True, monthly_from=None)
    time_machine.move_to(_at(CONFIRMED_ON), tick=False)
    country = reviews.enhanced_reporting_confirm(item=recommended, actor=eosg)
    assert (country.enhanced_reporting, country.monthly_from) == (True, None)
    enforcement.sweep_scans_due(now=_at(CONFIRMED_ON))
    assert _scan_events(country_a) == [
        ("scan_overdue", CONFIRMED_ON, "2026-09"), ("scan_reminder", CONFIRMED_ON, "2026-10"),
    ]


def test_the_country_page_says_when_monthly_reporting_starts(recommended, eosg, officer_a, country_a, login,
                                                             time_machine):
    time_machine.move_to(_at(CONFIRMED_ON), tick=False)
    reviews.enhanced_reporting_confirm(item=recommended, actor=eosg)
    page = login(officer_a).get(reverse("scans:country_detail", args=[country_a.iso3])).content.decode()
    assert "monthly scans from 1 November 2026, quarterly scans until then" in page
    assert "Current period 2026-Q4" in page
