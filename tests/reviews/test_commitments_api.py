"""GET /api/v1/commitments/: scoped as the decisions are, filtered, at a flat query count (signed in by
session, as the API accepts; here beside the other commitment tests, whose `decided` fixture it uses)."""

import datetime as dt

import pytest

from reviews.commitment_sweeps import sweep_commitments
from reviews.models import Decision

from .commitment_world import KINDS, RECORDED
from .test_commitment_pages import _bulk_commitments

pytestmark = pytest.mark.usefixtures("matrix")
URL = "/api/v1/commitments/"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(RECORDED, tick=False)


def test_it_lists_the_commitments_of_decisions_the_reader_may_read(login, decided, chair_a, chair_b, eosg, outsider,
                                                                    time_machine):
    item = decided(Decision.PLAN)
    time_machine.move_to(KINDS["plan"][1] + dt.timedelta(days=8), tick=False)
    sweep_commitments()
    row = login(eosg).get(URL).json()["results"][0]
    assert {k: row[k] for k in ("item", "meeting", "country", "kind", "state", "ladder_step", "escalated", "late")} == {
        "item": item.pk, "meeting": item.meeting_id, "country": item.country.iso3, "kind": "plan", "state": "open",
        "ladder_step": 2, "escalated": True, "late": False}
    assert row["kind_label"] == "A follow-up plan adopted"
    assert len(login(chair_a).get(URL).json()["results"]) == 1
    assert len(login(chair_b).get(URL).json()["results"]) == 0  # another region's review: not theirs to read
    assert len(login(outsider).get(URL).json()["results"]) == 0
    assert login(outsider).get(f"{URL}{row['id']}/").status_code == 404


def test_it_filters_by_kind_and_state(login, decided, eosg):
    decided(Decision.ENHANCED)
    assert len(login(eosg).get(URL, {"kind": "enhanced", "state": "open"}).json()["results"]) == 1
    assert len(login(eosg).get(URL, {"kind": "plan"}).json()["results"]) == 0
    assert login(eosg).get(URL, {"state": "nonsense"}).status_code == 400


def test_it_lists_in_the_same_number_of_queries_whatever_the_data(login, decided, eosg, chair_a, region_a,
                                                                   django_assert_num_queries):
    decided(Decision.PLAN)
    client = login(eosg)
    with django_assert_num_queries(4) as one:  # session, user, roles, the page (by keyset: no count)
        assert client.get(URL).status_code == 200
    _bulk_commitments(region_a, chair_a, 40)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 41
