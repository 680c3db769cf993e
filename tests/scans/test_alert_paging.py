"""The urgent alerts list pages by keyset, newest first: every alert reachable through "Older alerts", none
twice, each page at the same cost however deep."""

import datetime as dt

from django.urls import reverse

from scans.models import Alert
from scans.views.alerts import ALERT_PAGE

from ..keyset_pages import read_page

URL = reverse("scans:alert_list")


def _alerts(country, officer, n: int) -> list[int]:
    """`n` alerts an hour apart, the two around the first page's end (if any) raised at the same moment; their ids
    newest first, as the list must show them."""
    made = Alert.objects.bulk_create([
        Alert(country=country, title=f"Alert {i}", location="l", severity="serious", description="d", raised_by=officer)
        for i in range(n)
    ])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i, alert in enumerate(made):
        alert.raised_at = start + dt.timedelta(hours=i)
    if n > ALERT_PAGE:
        made[n - ALERT_PAGE].raised_at = made[n - ALERT_PAGE - 1].raised_at  # a tie across the page's edge
    Alert.objects.bulk_update(made, ["raised_at"])
    return [a.pk for a in sorted(made, key=lambda a: (a.raised_at, a.pk), reverse=True)]


def _page(client, url: str) -> tuple[list[int], str | None, int]:
    return read_page(client, URL, url, "/alerts/")


def test_older_alerts_are_a_link_away_each_once_at_the_same_cost(login, country_a, officer_a):
    expected = _alerts(country_a, officer_a, ALERT_PAGE + 7)
    client = login(officer_a)
    first, older, cost = _page(client, URL)
    assert first == expected[:ALERT_PAGE] and older
    second, further, deeper_cost = _page(client, older)
    assert second == expected[ALERT_PAGE:] and further is None
    assert deeper_cost == cost
    assert "Newest alerts" in client.get(older).content.decode()


def test_a_link_that_names_no_alert_starts_from_the_newest(login, country_a, officer_a):
    expected = _alerts(country_a, officer_a, 3)
    client = login(officer_a)
    assert _page(client, URL + "?before=x'--")[0] == expected
    assert _page(client, URL + f"?before={max(expected) + 100}")[0] == []  # none of theirs: nothing older


def test_an_alert_of_another_country_does_not_open_its_place_in_the_list(login, country_a, country_c, officer_a):
    mine = _alerts(country_a, officer_a, 3)
    theirs = Alert.objects.create(country=country_c, title="Elsewhere", location="l", severity="serious",
                                  description="d", raised_by=officer_a)
    assert _page(login(officer_a), URL + f"?before={theirs.pk}")[0] == []
    assert theirs.pk not in mine
