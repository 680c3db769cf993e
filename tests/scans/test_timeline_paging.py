"""A country's page shows its latest 12 periods, newest first, with links to later and earlier ones."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hruf.models import Role
from scans import services
from scans.models import Scan
from scans.periods import Period

from ..factories import CountryFactory, bulk_history, grant, quarters_before
from ..nav import warning_badge_queries

pytestmark = pytest.mark.usefixtures("matrix")
TODAY = dt.date(2026, 11, 27)
SCAN_ROW = re.compile(r'<th scope="row"><a href="[^"]*/scans/\d+/">([^<]+)</a></th>')
TIMELINE_COLUMN = re.compile(r'<th scope="col">(\d{4}-Q\d)</th>')
TIMELINE_ROW = re.compile(r'<tr><th scope="row">[^<]+</th>((?:<td class="rating-cell">[^<]*</td>)+)</tr>')
CELL = re.compile(r'<td class="rating-cell">([^<]*)</td>')


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


def _rating(country, i: int) -> int:
    return i % 4  # the i-th period (oldest first) is rated i % 4 on every indicator


@pytest.fixture
def thirty_quarters(country_a, officer_a) -> list[str]:
    """30 submitted quarterly scans, newest first (the bulk writer numbers them oldest first)."""
    periods = quarters_before(TODAY, 30)
    bulk_history([country_a], periods, officer_a, _rating)
    return [p.code for p in reversed(periods)]


def _page(client, country, query: str = "") -> str:
    response = client.get(reverse("scans:country_detail", args=[country.iso3]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _timeline(content: str) -> tuple[list[str], list[list[str]]]:
    """The timeline's period columns and, per indicator row, its cells (score row excluded)."""
    if 'id="timeline-heading"' not in content:
        return [], []
    section = content[content.index('id="timeline-heading"') :]
    section = section[: section.index("</section>")]
    rows = [CELL.findall(r) for r in TIMELINE_ROW.findall(section.split("<tbody>")[1])]
    return TIMELINE_COLUMN.findall(section), rows


def test_it_shows_the_latest_12_periods_newest_first_and_links_to_earlier_ones(login, chair_a, country_a, thirty_quarters):
    client = login(chair_a)
    first, second, third = (_page(client, country_a, q) for q in ("", "?page=2", "?page=3"))
    assert SCAN_ROW.findall(first) == thirty_quarters[:12]
    assert SCAN_ROW.findall(second) == thirty_quarters[12:24]
    assert SCAN_ROW.findall(third) == thirty_quarters[24:]
    assert '<a href="?page=2">Earlier periods</a>' in first and "Later periods" not in first
    assert '<a href="?page=1">Later periods</a>' in second and '<a href="?page=3">Earlier periods</a>' in second
    assert '<a href="?page=2">Later periods</a>' in third and "Earlier periods" not in third


def test_the_timeline_holds_the_ratings_of_the_shown_periods_only(login, chair_a, country_a, thirty_quarters):
    client = login(chair_a)
    for number, shown in ((1, thirty_quarters[:12]), (3, thirty_quarters[24:])):
        columns, rows = _timeline(_page(client, country_a, f"?page={number}"))
        assert columns == list(reversed(shown))  # the timeline reads left to right, oldest first
        oldest_first_index = [29 - thirty_quarters.index(code) for code in columns]
        expected = [str(_rating(country_a, i)) for i in oldest_first_index]
        assert rows and all(cells == expected for cells in rows)


def test_the_ratings_are_fetched_for_the_shown_scans_only(login, chair_a, country_a, thirty_quarters):
    shown = set(Scan.objects.filter(country=country_a, period__in=thirty_quarters[12:24])
                .values_list("submitted_revision_id", flat=True))
    client = login(chair_a)
    with CaptureQueriesContext(connection) as ctx:
        _page(client, country_a, "?page=2")
    [rating_query] = [q["sql"] for q in ctx.captured_queries if 'FROM "scans_rating"' in q["sql"]]
    fetched = re.search(r'"revision_id" IN \(([^)]*)\)', rating_query).group(1)
    assert {int(pk) for pk in fetched.split(",")} == shown


def test_an_officer_sees_the_draft_first_and_the_timeline_only_submitted(login, officer_a, country_a, thirty_quarters):
    draft = services.scan_start(country=country_a, period=Period.containing(TODAY, "quarterly"), actor=officer_a)
    page = _page(login(officer_a), country_a)
    assert SCAN_ROW.findall(page) == [draft.period] + thirty_quarters[:11]
    columns, _rows = _timeline(page)
    assert columns == list(reversed(thirty_quarters[:11]))


@pytest.mark.parametrize("raw", ["abc", "-1", "0", "", "2x", "２", "99999999999"])
def test_a_garbage_page_shows_the_latest_periods(login, chair_a, country_a, thirty_quarters, raw):
    assert SCAN_ROW.findall(_page(login(chair_a), country_a, f"?page={raw}")) == thirty_quarters[:12]


def test_a_page_past_the_end_is_empty_not_an_error(login, chair_a, country_a, thirty_quarters):
    page = _page(login(chair_a), country_a, "?page=10000")
    assert SCAN_ROW.findall(page) == [] and "No scans yet." in page and _timeline(page) == ([], [])
    assert "Earlier periods" not in page


def test_a_short_history_has_no_period_links(login, chair_a, country_a, officer_a):
    bulk_history([country_a], quarters_before(TODAY, 12), officer_a)
    page = _page(login(chair_a), country_a)
    assert len(SCAN_ROW.findall(page)) == 12 and "Earlier periods" not in page and "Later periods" not in page


# Measured as in test_query_counts (COUNTRY_DETAIL_QUERIES), for the chair and the country's officer.
COUNTRY_PAGE_QUERIES = 8


@pytest.mark.parametrize("persona", ["chair_a", "officer_a"])
def test_the_country_page_costs_the_same_on_any_page_and_with_more_history(
    request, login, country_a, officer_a, thirty_quarters, persona, django_assert_num_queries
):
    user = request.getfixturevalue(persona)
    client, queries = login(user), COUNTRY_PAGE_QUERIES + warning_badge_queries(user)
    for query in ("", "?page=2", "?page=3"):
        with django_assert_num_queries(queries):
            _page(client, country_a, query)
    longer = CountryFactory(region=country_a.region)
    grant(officer_a, Role.OFFICER, country=longer)
    bulk_history([longer], quarters_before(TODAY, 80), officer_a, _rating)
    user.refresh_from_db()
    client = login(user)  # a role change ends the officer's sessions
    for query in ("", "?page=4", "?page=7"):
        with django_assert_num_queries(queries):
            _page(client, longer, query)
