"""Commitments shown: on the chair's home (their regions' open ones) and on the EOSG dashboard (counts by
kind and the missed ones), each page at a query count that does not grow with the commitments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews import services
from reviews.commitment_sweeps import sweep_commitments
from reviews.models import AgendaItem, Commitment, Decision

from ..factories import CountryFactory
from .commitment_world import KINDS, Q3, RECORDED, fulfil, record

pytestmark = pytest.mark.usefixtures("matrix")
HOME, DASHBOARD = reverse("home"), reverse("followup:dashboard")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(RECORDED, tick=False)


def _section(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start:html.index("</table>", start)]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _bulk_commitments(region, chair, n: int) -> None:
    """`n` open plan commitments of one published review of `region`, in bulk, half of them overdue."""
    meeting = services.rqr_create(actor=chair, region=region, quarter=Q3.previous(), date=dt.date(2026, 6, 20),
                                  chair=chair)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, country=CountryFactory(region=region), decision=Decision.PLAN) for _ in range(n)
    )
    Commitment.objects.bulk_create(
        Commitment(item=i, kind="plan", created_at=RECORDED, due_at=RECORDED + dt.timedelta(days=(-1) ** k * 3),
                   ladder_step=1 if k % 2 else 0)
        for k, i in enumerate(items)
    )


def test_the_chairs_home_lists_their_regions_open_commitments_with_the_overdue_marked(
    decided, login, chair_a, time_machine
):
    item = decided(Decision.PLAN)
    html = login(chair_a).get(HOME).content.decode()
    row = _section(html, "table-commitments")
    assert "Country A" in row and "A follow-up plan adopted" in row and "29 Oct 2026" in row
    assert f'href="{reverse("reviews:meeting_detail", args=[item.meeting_id])}#item-{item.pk}"' in row
    assert "overdue" not in row
    time_machine.move_to(KINDS["plan"][1], tick=False)
    sweep_commitments()
    row = _section(login(chair_a).get(HOME).content.decode(), "table-commitments")
    assert "overdue" in row and "chairs or SAG told" in row


def test_a_chair_of_another_region_and_an_officer_see_none_of_them(decided, login, chair_b, officer_a):
    decided(Decision.PLAN)
    assert "Country A" not in _section(login(chair_b).get(HOME).content.decode(), "table-commitments")
    assert 'id="table-commitments"' not in login(officer_a).get(HOME).content.decode()


def test_a_fulfilled_commitment_leaves_the_chairs_home(decided, login, chair_a, eosg):
    item = decided(Decision.ENHANCED)
    services.enhanced_reporting_confirm(item=item, actor=eosg)
    assert "None." in _section(login(chair_a).get(HOME).content.decode(), "table-commitments")


def test_the_chairs_home_costs_the_same_with_one_commitment_and_forty(decided, login, chair_a, region_a):
    decided(Decision.PLAN)
    client = login(chair_a)
    one = _queries(client, HOME)
    _bulk_commitments(region_a, chair_a, 40)
    assert _queries(client, HOME) == one


def test_eosg_sees_commitments_by_kind_and_the_missed_ones(decided, login, eosg, time_machine):
    decided(Decision.ESCALATE)
    time_machine.move_to(KINDS["sag"][1] + dt.timedelta(days=1), tick=False)
    sweep_commitments()
    response = login(eosg).get(DASHBOARD)
    by_kind = {t.kind: t for t in response.context["commitments"].by_kind}
    assert (by_kind["sag"].open, by_kind["sag"].overdue, by_kind["sag"].on_time, by_kind["sag"].late) == (1, 1, 0, 0)
    assert sum(t.open for t in by_kind.values()) == 1
    missed = _section(response.content.decode(), "table-commitments-missed")
    assert "Country A" in missed and "EOSG told" in missed


def test_the_dashboard_counts_on_time_and_late_and_not_superseded(decided, login, eosg, owner, time_machine):
    item = decided(Decision.ENHANCED)
    record(item, item.meeting.chair, Decision.PLAN)  # the enhanced one is superseded
    time_machine.move_to(KINDS["plan"][1] + dt.timedelta(days=1), tick=False)
    fulfil("plan", item, eosg=eosg, owner=owner)
    by_kind = {t.kind: t for t in login(eosg).get(DASHBOARD).context["commitments"].by_kind}
    assert (by_kind["plan"].late, by_kind["plan"].on_time, by_kind["enhanced"].open) == (1, 0, 0)


def test_the_region_filter_applies_to_commitments(decided, login, eosg, region_b):
    decided(Decision.PLAN)
    by_kind = {t.kind: t for t in login(eosg).get(DASHBOARD, {"region": region_b.pk}).context["commitments"].by_kind}
    assert by_kind["plan"].open == 0


def test_the_dashboard_costs_the_same_with_one_commitment_and_forty(decided, login, eosg, chair_a, region_a):
    decided(Decision.PLAN)
    client = login(eosg)
    one = _queries(client, DASHBOARD)
    _bulk_commitments(region_a, chair_a, 40)
    assert _queries(client, DASHBOARD) == one
