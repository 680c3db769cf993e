"""The surge board and the register of deployed capacity: the board's order for a small known world, the
register's refusals (dates, overlaps, an action of another country), an arrival that closes its action's
loop, who may read and keep it, the API, and the pages' cost as the register grows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from followup import capacity
from followup.models import ActionUpdate, Deployment
from followup.services import InvalidInput
from hruf.models import AuditEvent, Entity

from ..conftest import pass_second_factor
from ..factories import CountryFactory, bulk_history, quarters_before

pytestmark = pytest.mark.usefixtures("matrix")
TODAY = dt.date(2026, 10, 5)
Q2, Q3 = quarters_before(TODAY, 2)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def undp(db):
    return Entity.objects.get_or_create(code="UNDP", defaults={"name": "UNDP"})[0]


def _deploy(country, entity, eosg, *, kind="hra", starts=dt.date(2026, 1, 1), ends=None, arrived=dt.date(2026, 1, 5),
            action=None) -> Deployment:
    return capacity.deployment_save(actor=eosg, deployment=Deployment(
        country=country, kind=kind, entity=entity, starts_on=starts, ends_on=ends, arrived_on=arrived,
        requested_by=action))


@pytest.fixture
def world(region_a, officer_a, eosg, undp):
    """Six countries whose place on the board is known by hand (uniform ratings: 0 -> low, 1 -> moderate 33,
    2 -> very high 67, 3 -> very high 100)."""
    names = {}
    history = {"Rising": (1, 3), "Steady": (2, 2), "Ending": (None, 3), "Covered": (None, 2), "Moderate": (None, 1),
               "Calm": (None, 0)}
    for name, (before, now) in history.items():
        country = CountryFactory(region=region_a, name=name)
        names[name] = country
        if before is not None:
            bulk_history([country], [Q2], officer_a, lambda c, i, v=before: v)
        bulk_history([country], [Q3], officer_a, lambda c, i, v=now: v)
    _deploy(names["Ending"], undp, eosg, ends=TODAY + dt.timedelta(days=30))
    _deploy(names["Covered"], undp, eosg, kind="pda")
    _deploy(names["Moderate"], undp, eosg, kind="light_team")
    _deploy(names["Rising"], undp, eosg, kind="ohchr_presence", starts=TODAY + dt.timedelta(days=20), arrived=None)
    return names


def test_the_board_puts_high_risk_rising_without_capacity_first(world, eosg):
    rows = capacity.surge_board(eosg, TODAY)
    assert [r.country.name for r in rows] == ["Rising", "Steady", "Ending", "Covered", "Moderate", "Calm"]
    assert [r.priority for r in rows] == [0, 1, 2, 3, 4, 5]
    rising = rows[0]
    assert rising.present == [] and [d.kind for d in rising.coming] == ["ohchr_presence"]  # planned, not arrived
    assert rows[2].ending_soon and not rows[3].ending_soon


def test_the_page_shows_it_and_costs_the_same_as_the_register_grows(world, login, eosg, undp, region_a):
    client = login(eosg)
    pages = [reverse("followup:surge_board"), reverse("followup:deployment_list")]

    def measure():
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                html = client.get(url).content.decode()
            counts.append(len(ctx.captured_queries))
        return counts, html

    few, _html = measure()
    for k in range(20):
        _deploy(CountryFactory(region=region_a), undp, eosg, kind="other", starts=dt.date(2025, 1, 1 + k))
    many, html = measure()
    assert many == few
    board = client.get(pages[0]).content.decode()
    assert board.index("Rising") < board.index("Steady") and "high, rising, no capacity" in board
    assert "ending soon" in board


def test_the_register_refuses_what_cannot_be(world, eosg, undp, officer_b):
    ending = world["Ending"]
    with pytest.raises(InvalidInput) as refused:
        _deploy(ending, undp, eosg, kind="pda", starts=dt.date(2026, 5, 1), ends=dt.date(2026, 4, 1))
    assert refused.value.errors == {"ends_on": "The deployment ends before it starts."}
    with pytest.raises(InvalidInput) as refused:  # the same kind and entity, overlapping dates
        _deploy(ending, undp, eosg, starts=TODAY, ends=None)
    assert "already in the register" in refused.value.errors["starts_on"]
    later = _deploy(ending, undp, eosg, starts=TODAY + dt.timedelta(days=31), arrived=None)  # after it ends: fine
    assert later.pk


def test_a_requesting_action_must_be_the_countrys_and_its_arrival_closes_the_loop(world, eosg, undp, make_plan,
                                                                                    country_a):
    action = make_plan(dt.date(2026, 12, 1), TODAY)  # a plan for country A
    with pytest.raises(InvalidInput) as refused:
        _deploy(world["Calm"], undp, eosg, action=action)
    assert refused.value.errors == {"requested_by": "That action is for another country."}

    deployment = _deploy(country_a, undp, eosg, action=action, arrived=None)
    assert not ActionUpdate.objects.filter(action=action, code="deployment_arrived").exists()
    deployment.arrived_on = TODAY
    capacity.deployment_save(deployment=deployment, actor=eosg, lock_version=deployment.lock_version)
    [log] = ActionUpdate.objects.filter(action=action, code="deployment_arrived")
    assert log.author == eosg and log.params == {"date": TODAY.isoformat(), "kind": deployment.kind, "entity": "UNDP"}
    events = AuditEvent.objects.filter(object_type="followup.deployment", object_id=str(deployment.pk))
    assert [e.action for e in events.order_by("id")] == ["create", "update"]
    assert events.order_by("id").last().changes == {"arrived_on": [None, TODAY.isoformat()]}


def test_only_eosg_keeps_the_register_and_a_chair_reads_their_regions(world, login, chair_a, chair_b, officer_a,
                                                                        outsider, undp):
    new = reverse("followup:deployment_create")
    assert login(chair_a).get(new).status_code == 403
    assert login(officer_a).post(new, {}).status_code == 403
    board_b = login(chair_b).get(reverse("followup:surge_board")).content.decode()
    assert "Rising" not in board_b  # region A's countries are not chair B's
    assert "Rising" in login(chair_a).get(reverse("followup:surge_board")).content.decode()
    assert login(outsider).get(reverse("followup:surge_board")).status_code == 403


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(world, login, eosg, undp):
    client = login(eosg)
    response = client.post(reverse("followup:deployment_create"), {
        "country": world["Ending"].pk, "kind": "hra", "entity": undp.pk, "starts_on": "2026-10-10",
        "ends_on": "2026-10-01", "notes": "Second adviser for the north"})
    html = response.content.decode()
    assert response.status_code == 400 and "The deployment ends before it starts." in html
    assert "Second adviser for the north" in html
    response = client.post(reverse("followup:deployment_create"), {
        "country": world["Ending"].pk, "kind": "hra", "entity": undp.pk, "starts_on": "2026-10-10",
        "notes": "overlapping"})
    assert response.status_code == 400 and "already in the register" in response.content.decode()


def test_the_api_lists_adds_changes_and_ranks(world, eosg, undp):
    client = APIClient()
    client.force_login(eosg)
    pass_second_factor(client, eosg)
    listed = client.get("/api/v1/deployments/").json()
    assert {d["country_name"] for d in listed["results"]} >= {"Ending", "Covered"}
    made = client.post("/api/v1/deployments/", {"country": world["Calm"].pk, "kind": "hra", "entity": undp.pk,
                                                "starts_on": "2026-11-01"}, format="json")
    assert made.status_code == 201, made.json()
    deployment = made.json()
    refused = client.post("/api/v1/deployments/", {"country": world["Calm"].pk, "kind": "hra", "entity": undp.pk,
                                                   "starts_on": "2026-12-01"}, format="json")
    assert refused.status_code == 400 and "starts_on" in refused.json()["error"]["fields"]
    changed = client.patch(f"/api/v1/deployments/{deployment['id']}/",
                           {"arrived_on": "2026-11-02", "lock_version": deployment["lock_version"]}, format="json")
    assert changed.status_code == 200 and changed.json()["arrived_on"] == "2026-11-02"
    stale = client.patch(f"/api/v1/deployments/{deployment['id']}/",
                         {"notes": "late", "lock_version": deployment["lock_version"]}, format="json")
    assert stale.status_code == 409
    board = client.get("/api/v1/surge-board/").json()
    assert [row["name"] for row in board][:2] == ["Rising", "Steady"] and board[0]["priority"] == 0
