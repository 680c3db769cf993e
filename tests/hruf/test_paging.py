"""hruf.paging: the page a link asks for, the rows it holds and its neighbours."""

import pytest
from django.test import RequestFactory

from hruf.models import Region
from hruf.paging import MAX_PAGE, Page, page_link, page_number


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("3", 3), (None, 1), ("", 1), ("abc", 1), ("-2", 1), ("0", 1), ("2.5", 1), ("1e3", 1), ("２", 1),
        ("\x00", 1), ("99999999999", 1), ("10000", MAX_PAGE), ("99999", MAX_PAGE),
    ],
)
def test_it_reads_a_bad_page_number_as_the_first_page_and_caps_a_large_one(raw, number):
    assert page_number(raw) == number


def test_it_reads_the_page_from_the_named_parameter():
    request = RequestFactory().get("/", {"page": "2", "overdue": "4"})
    assert Page.requested(request, 25) == Page(2, 25)
    assert Page.requested(request, 25, "overdue") == Page(4, 25)
    assert Page.requested(request, 25, "later") == Page(1, 25)


def test_it_places_a_page_and_its_neighbours():
    page = Page(3, 10)
    assert (page.start, page.stop, page.first, page.last(4)) == (20, 30, 21, 24)
    assert (page.previous, page.following(True), page.following(False)) == (2, 4, None)
    assert Page(1, 10).previous is None


def test_it_cuts_a_list_and_a_page_past_the_end_is_empty():
    rows = list(range(25))
    assert Page(1, 10).of(rows) == list(range(10))
    assert Page(3, 10).of(rows) == [20, 21, 22, 23, 24]
    assert Page(4, 10).of(rows) == []


@pytest.mark.django_db
def test_it_fetches_a_page_in_one_query_and_knows_if_more_follow(django_assert_num_queries):
    Region.objects.bulk_create(Region(code=f"R{i:02d}", name=f"Region {i:02d}") for i in range(7))
    regions = Region.objects.filter(code__startswith="R").order_by("code")
    with django_assert_num_queries(1):
        rows, more = Page(1, 3).fetch(regions)
    assert [r.code for r in rows] == ["R00", "R01", "R02"] and more
    rows, more = Page(3, 3).fetch(regions)
    assert [r.code for r in rows] == ["R06"] and not more
    rows, more = Page(2, 3).fetch(regions.filter(code__lte="R05"))
    assert [r.code for r in rows] == ["R03", "R04", "R05"] and not more  # exactly full: no next page
    assert Page(9, 3).fetch(regions) == ([], False)


def test_a_link_keeps_the_rest_of_the_query():
    request = RequestFactory().get("/", {"overdue": "2", "later": "3"})
    assert page_link(request, "overdue", 3) == "?overdue=3&later=3"
    assert page_link(request, "blocked", 2) == "?overdue=2&later=3&blocked=2"
