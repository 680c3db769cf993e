"""Pages cost the same number of queries whether a country has 4 scans or 40."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hruf.models import Role
from scans import services
from scans.models import Scan

from ..factories import CountryFactory, file_scan, grant, quarters_before
from ..nav import warning_badge_queries

pytestmark = pytest.mark.usefixtures("matrix")
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


def _history(country, officer, count):
    for i, period in enumerate(quarters_before(TODAY, count)):
        file_scan(country, officer, period, rating=i % 4)
    services.alert_raise(country=country, actor=officer, title="t", location="l", severity="serious", description="d")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _measure(login, user, urls):
    client = login(user)
    return [_queries(client, url) for url in urls]


@pytest.mark.parametrize("persona", ["officer_a", "chair_a", "eosg"])
def test_list_pages_do_not_grow_with_history(request, login, country_a, officer_a, persona):
    user = request.getfixturevalue(persona)
    urls = [reverse("home"), reverse("scans:country_list"), reverse("scans:alert_list"), reverse("inbox")]
    _history(country_a, officer_a, 4)
    small = _measure(login, user, urls)
    _history(CountryFactory(region=country_a.region), officer_a, 4)  # a second country, then ten times the history
    more = CountryFactory(region=country_a.region)
    _history(more, officer_a, 40)
    assert _measure(login, user, urls) == small


def test_scan_and_country_pages_do_not_grow_with_history(login, country_a, officer_a, chair_a):
    _history(country_a, officer_a, 4)
    latest = Scan.objects.filter(country=country_a).latest("period_start")
    urls = [reverse("scans:scan_detail", args=[latest.pk]), reverse("scans:country_detail", args=[country_a.iso3])]
    small = _measure(login, chair_a, urls)
    more = CountryFactory(region=country_a.region)
    _history(more, officer_a, 40)
    latest = Scan.objects.filter(country=more).latest("period_start")
    urls = [reverse("scans:scan_detail", args=[latest.pk]), reverse("scans:country_detail", args=[more.iso3])]
    assert _measure(login, chair_a, urls) == small
    badge = warning_badge_queries(chair_a)
    assert small == [SCAN_DETAIL_QUERIES + badge, COUNTRY_DETAIL_QUERIES + badge]


def test_the_scan_form_does_not_grow_with_history(login, country_a, officer_a):
    _history(country_a, officer_a, 4)
    client = login(officer_a)
    draft = services.scan_start(country=country_a, period=quarters_before(TODAY, 1)[0].next(), actor=officer_a)
    small = _queries(client, reverse("scans:scan_edit", args=[draft.pk]))
    more = CountryFactory(region=country_a.region)
    grant(officer_a, Role.OFFICER, country=more)
    client = login(officer_a)  # a role change ends the officer's sessions
    _history(more, officer_a, 40)
    draft = services.scan_start(country=more, period=quarters_before(TODAY, 1)[0].next(), actor=officer_a)
    assert _queries(client, reverse("scans:scan_edit", args=[draft.pk])) == small == SCAN_FORM_QUERIES


# Measured, then fixed here: a change that adds queries to these pages must say so.
SCAN_DETAIL_QUERIES = 12  # with the evidence files of the shown ratings, and the Framework lens (factors, mapping)
COUNTRY_DETAIL_QUERIES = 8
SCAN_FORM_QUERIES = 12  # with the evidence files of the draft's ratings
