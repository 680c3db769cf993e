"""reviews.selectors.open_actions_by_country, which both meeting packs read, and the ranking's
overdue count as of the quarter it ranks."""

import datetime as dt

import pytest

from followup.models import Action, ActionStatus, Plan
from hruf.models import Country, Entity
from reviews.selectors import open_actions_by_country, overdue_as_of, risks
from scans.models import Alert
from scans.periods import Period

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def add(eosg, officer_a, owner):
    lead, _ = Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})
    plans = {}

    def _add(country, title, deadline, *, status=ActionStatus.PLANNED, restricted=False) -> Action:
        if country.pk not in plans:
            alert = Alert.objects.create(country=country, title="t", location="l", severity="serious", description="d", raised_by=officer_a)
            plans[country.pk] = Plan.objects.create(country=country, title="Plan", source_alert=alert, created_by=eosg)
        return Action.objects.create(
            plan=plans[country.pk], title=title, owner=owner, lead_entity=lead, deadline=deadline, status=status,
            restricted=restricted,
        )

    return _add


def _titles(grouped, country) -> list[str]:
    return [a.title for a in grouped[country.pk].shown] if country.pk in grouped else []


def test_it_lists_open_actions_most_urgent_first_and_caps_each_country(add, country_a, country_b, eosg):
    for i in (5, 1, 3, 2, 4):
        add(country_a, f"A{i}", TODAY + dt.timedelta(days=i))
    add(country_a, "A-done", TODAY - dt.timedelta(days=9), status=ActionStatus.DONE)
    add(country_b, "B1", TODAY)
    grouped = open_actions_by_country(country_ids=[country_a.pk, country_b.pk], reader=eosg, as_of=TODAY, limit=3)
    assert _titles(grouped, country_a) == ["A1", "A2", "A3"]
    assert grouped[country_a.pk].total == 5 and grouped[country_a.pk].more == 2
    assert _titles(grouped, country_b) == ["B1"] and grouped[country_b.pk].more == 0
    uncapped = open_actions_by_country(country_ids=[country_a.pk], reader=eosg, as_of=TODAY, limit=None)
    assert _titles(uncapped, country_a) == ["A1", "A2", "A3", "A4", "A5"] and uncapped[country_a.pk].more == 0


def test_it_shows_each_reader_what_they_may_see_and_the_whole_audience_no_restricted_action(
    add, country_a, country_b, officer_a, sag, outsider
):
    add(country_a, "A-secret", TODAY, restricted=True)
    add(country_a, "A-plain", TODAY + dt.timedelta(days=1))
    add(country_b, "B-plain", TODAY)
    ids = [country_a.pk, country_b.pk]
    officer = open_actions_by_country(country_ids=ids, reader=officer_a, as_of=TODAY, limit=10)
    assert _titles(officer, country_a) == ["A-secret", "A-plain"] and _titles(officer, country_b) == []
    seen_by_sag = open_actions_by_country(country_ids=ids, reader=sag, as_of=TODAY, limit=10)
    assert _titles(seen_by_sag, country_a) == ["A-plain"] and seen_by_sag[country_a.pk].total == 1
    audience = open_actions_by_country(country_ids=ids, reader=None, as_of=TODAY, limit=10)
    assert _titles(audience, country_a) == ["A-plain"] and _titles(audience, country_b) == ["B-plain"]
    assert open_actions_by_country(country_ids=ids, reader=outsider, as_of=TODAY, limit=10) == {}


def test_it_marks_overdue_as_of_the_day_given_in_one_query(add, country_a, eosg, django_assert_num_queries):
    add(country_a, "yesterday", TODAY - dt.timedelta(days=1))
    add(country_a, "today", TODAY)
    with django_assert_num_queries(1):
        grouped = open_actions_by_country(country_ids=[country_a.pk], reader=None, as_of=TODAY, limit=10)
        flags = [(a.title, a.overdue, a.lead_entity.code) for a in grouped[country_a.pk].shown]
    assert flags == [("yesterday", True, "OHCHR"), ("today", False, "OHCHR")]
    assert [a.is_overdue(TODAY) for a in grouped[country_a.pk].shown] == [True, False]


def test_the_ranking_counts_overdue_actions_as_of_the_quarters_last_day_or_today(add, country_a):
    add(country_a, "due in Q3", dt.date(2026, 9, 15))
    add(country_a, "due in Q4, passed", dt.date(2026, 10, 15))
    add(country_a, "due in Q4, ahead", dt.date(2026, 12, 15))
    since = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    q3, q4 = Period.parse("2026-Q3"), Period.parse("2026-Q4")
    assert overdue_as_of(q3, TODAY) == dt.date(2026, 9, 30) and overdue_as_of(q4, TODAY) == TODAY
    countries = Country.objects.filter(pk=country_a.pk)
    [in_q3] = risks(countries, q3, since)
    [in_q4] = risks(countries, q4, since)
    assert (in_q3.open_actions, in_q3.overdue_actions) == (3, 1)
    assert (in_q4.open_actions, in_q4.overdue_actions) == (3, 2)
