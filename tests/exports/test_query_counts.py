"""An export costs the same queries for 41 rows as for thousands: rows are read in chunks, none per row."""

import pytest
from django.urls import reverse

from exports.models import ExportJob
from scans.periods import Period

from ..factories import CountryFactory, bulk_history
from .files import post_export

# Session, user, roles, the count, one chunked read, and the export's audit event; scans and alerts
# also read the evidence files' names and digests, once.
EXPORT_QUERIES = {"scans": 7, "alerts": 7, "actions": 6, "records": 6}


def _stream(client, kind: str, fmt: str = "csv") -> int:
    response = post_export(client, kind=kind, format=fmt)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.count(b"\n") if fmt == "csv" else len(body)


def _more_history(region, officer, countries=30, quarters=8):
    periods = [Period.parse("2024-Q1")]
    while len(periods) < quarters:
        periods.append(periods[-1].next())
    bulk_history([CountryFactory(region=region) for _ in range(countries)], periods, officer)


@pytest.mark.parametrize("kind", sorted(EXPORT_QUERIES))
def test_the_csv_stream_costs_the_same_queries_whatever_the_size(
    world, login, eosg, officer_a, region_a, kind, django_assert_num_queries
):
    client = login(eosg)
    with django_assert_num_queries(EXPORT_QUERIES[kind]):
        small = _stream(client, kind)
    _more_history(region_a, officer_a)  # 2,400 more ratings: more than one chunk
    with django_assert_num_queries(EXPORT_QUERIES[kind]):
        big = _stream(client, kind)
    if kind == "scans":
        assert big == small + 2400


def test_the_xlsx_answer_costs_the_same_queries_whatever_the_size(
    world, login, chair_a, officer_a, region_a, django_assert_num_queries
):
    client = login(chair_a)
    with django_assert_num_queries(7):
        small = _stream(client, "scans", "xlsx")
    _more_history(region_a, officer_a, countries=5)
    with django_assert_num_queries(7):
        assert _stream(client, "scans", "xlsx") > small


def test_the_export_page_costs_the_same_queries_with_more_jobs(world, login, eosg, django_assert_num_queries):
    client = login(eosg)
    ExportJob.objects.create(user=eosg, kind="scans", format="csv")
    url = reverse("exports:export_page")
    with django_assert_num_queries(8):  # with EOSG's warning badge
        assert client.get(url).status_code == 200
    for _ in range(20):
        ExportJob.objects.create(user=eosg, kind="alerts", format="xlsx", state="done", rows_done=9, rows_total=9)
    with django_assert_num_queries(8):  # with EOSG's warning badge
        assert client.get(url).status_code == 200
