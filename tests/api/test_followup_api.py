"""The follow-up API: plans, actions and benchmarks by scope (restricted actions included), the
owner's updates through the services, refusals that write nothing, stale saves, the EOSG
dashboard's figures, and query counts that do not grow with the data."""

import datetime as dt

import pytest

from followup import services
from followup.models import Action, ActionUpdate, Benchmark, Plan
from hruf.models import Entity, Role
from scans import services as scan_services
from scans.models import Alert
from scans.periods import Period

from ..factories import CountryFactory, UserFactory, file_scan, grant

TODAY = dt.date(2026, 11, 27)
PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "undp_owner", "outsider"]
ACTIONS, BENCHMARKS, PLANS, DASHBOARD = "/api/v1/actions/", "/api/v1/benchmarks/", "/api/v1/plans/", "/api/v1/dashboard/"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


def _entity(code: str) -> Entity:
    return Entity.objects.get_or_create(code=code, defaults={"name": code})[0]


@pytest.fixture
def undp_owner(db):
    return grant(UserFactory(username="undp_owner"), Role.OWNER, entity=_entity("UNDP"))


@pytest.fixture
def plan(country_a, officer_a, eosg, owner, undp_owner):
    """Country A's plan: an open OHCHR action of `owner` with a required benchmark, and a
    restricted UNDP action of `undp_owner`."""
    alert = Alert.objects.create(
        country=country_a, title="Attack", location="North", severity="severe", description="d", raised_by=officer_a
    )
    drafts = [
        services.ActionDraft(title="Deploy a human rights adviser", lead_entity=_entity("OHCHR"), owner=owner,
                             deadline=TODAY + dt.timedelta(days=20)),
        services.ActionDraft(title="Protect the witness", lead_entity=_entity("UNDP"), owner=undp_owner,
                             deadline=TODAY + dt.timedelta(days=30), restricted=True),
    ]
    plan = services.plan_create(country=country_a, actor=eosg, title="Plan A", source_alert=alert, actions=drafts, today=TODAY)
    services.benchmark_add(actor=owner, action=plan.actions.get(restricted=False), description="Adviser in post",
                           due_date=TODAY + dt.timedelta(days=10), today=TODAY)
    services.benchmark_add(actor=owner, action=plan.actions.get(restricted=True), description="Witness relocated",
                           due_date=TODAY + dt.timedelta(days=10), today=TODAY)
    return plan


@pytest.fixture
def adviser(plan):
    return plan.actions.get(restricted=False)


@pytest.fixture
def witness(plan):
    return plan.actions.get(restricted=True)


def _ids(client, url, **query) -> set[int]:
    response = client.get(url, query)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _progress(action, **changes) -> dict:
    return {"lock_version": action.lock_version, "status": "in_progress", "text": "Recruiting"} | changes


# --- reading -------------------------------------------------------------------------------

# Who reads the plain action, the restricted one, and the plan (and so their benchmarks).
READS = dict(
    officer_a=(True, True, True), officer_b=(False, False, False), chair_a=(True, True, True),
    chair_b=(False, False, False), sag=(True, False, True), eosg=(True, True, True),
    owner=(True, False, True), undp_owner=(True, True, True), outsider=(False, False, False),
)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_reads_plans_actions_and_benchmarks_only_within_scope(request, api, plan, adviser, witness, persona):
    client = api(request.getfixturevalue(persona))
    sees_adviser, sees_witness, sees_plan = READS[persona]
    assert _ids(client, ACTIONS) == {a.pk for a, seen in ((adviser, sees_adviser), (witness, sees_witness)) if seen}
    assert client.get(f"{ACTIONS}{adviser.pk}/").status_code == (200 if sees_adviser else 404)
    assert client.get(f"{ACTIONS}{witness.pk}/").status_code == (200 if sees_witness else 404)
    assert client.get(f"{ACTIONS}{witness.pk}/updates/").status_code == (200 if sees_witness else 404)
    assert _ids(client, PLANS) == ({plan.pk} if sees_plan else set())
    assert client.get(f"{PLANS}{plan.pk}/").status_code == (200 if sees_plan else 404)
    plain, restricted = adviser.benchmarks.get(), witness.benchmarks.get()
    assert _ids(client, BENCHMARKS) == {b.pk for b, seen in ((plain, sees_adviser), (restricted, sees_witness)) if seen}
    assert client.get(f"{BENCHMARKS}{plain.pk}/").status_code == (200 if sees_adviser else 404)
    assert client.get(f"{BENCHMARKS}{restricted.pk}/").status_code == (200 if sees_witness else 404)


def test_it_answers_out_of_scope_ids_like_ones_that_do_not_exist(api, assert_error, witness, sag):
    client = api(sag)
    for url in (ACTIONS, PLANS, BENCHMARKS):
        assert assert_error(client.get(f"{url}999999/"), 404)["status"] == 404
    assert assert_error(client.get(f"{ACTIONS}{witness.pk}/"), 404) == assert_error(client.get(f"{ACTIONS}999999/"), 404)
    assert_error(client.post(f"{ACTIONS}{witness.pk}/progress/", _progress(witness), format="json"), 404)


@pytest.mark.parametrize("url", [ACTIONS, PLANS, BENCHMARKS, DASHBOARD])
def test_it_answers_anonymous_calls_with_401_in_the_error_format(api, assert_error, url):
    assert assert_error(api().get(url), 401)["code"] == "not_authenticated"


def test_it_answers_an_anonymous_update_with_401_and_changes_nothing(api, assert_error, adviser):
    assert_error(api().post(f"{ACTIONS}{adviser.pk}/progress/", _progress(adviser), format="json"), 401)
    assert Action.objects.get(pk=adviser.pk).status == "planned"


def test_it_shows_an_action_with_its_people_and_entities(api, adviser, eosg, owner):
    body = api(eosg).get(f"{ACTIONS}{adviser.pk}/").json()
    assert body | {"created_at": None} == {
        "id": adviser.pk, "plan": adviser.plan_id, "country": adviser.plan.country_id, "country_name": "Country A",
        "title": "Deploy a human rights adviser", "description": "", "lead_entity": adviser.lead_entity_id,
        "lead_entity_code": "OHCHR", "supporting_entities": [], "owner": owner.pk, "owner_name": str(owner),
        "deadline": "2026-12-17", "status": "planned", "cancel_reason": "", "restricted": False, "created_at": None,
        "completed_at": None, "overdue_step": 0, "lock_version": 0,
    }


def test_it_filters_actions_by_status_entity_overdue_and_plan(api, assert_error, plan, adviser, witness, eosg, owner):
    late = Action.objects.create(plan=plan, title="Late", lead_entity=adviser.lead_entity, owner=owner,
                                 deadline=TODAY - dt.timedelta(days=3))
    Action.objects.filter(pk=witness.pk).update(status="blocked")
    client = api(eosg)
    assert _ids(client, ACTIONS, status="blocked") == {witness.pk}
    assert _ids(client, ACTIONS, entity=adviser.lead_entity_id) == {adviser.pk, late.pk}
    assert _ids(client, ACTIONS, overdue="true") == {late.pk}
    assert _ids(client, ACTIONS, overdue="false") == {adviser.pk, witness.pk}
    assert _ids(client, ACTIONS, plan=plan.pk) == {adviser.pk, witness.pk, late.pk}
    assert _ids(client, ACTIONS, plan=999999) == set()
    assert_error(client.get(ACTIONS, {"status": "finished"}), 400, fields=("status",))
    assert_error(client.get(ACTIONS, {"entity": 999999}), 400, fields=("entity",))
    assert_error(client.get(ACTIONS, {"plan": "first"}), 400, fields=("plan",))
    assert_error(client.get(ACTIONS, {"page_size": 100000}), 400, fields=("page_size",))


# --- the owner's updates ---------------------------------------------------------------------

# The owner updates; others who read the action are refused (403); the rest do not see it (404).
UPDATE = dict(officer_a=403, officer_b=404, chair_a=403, chair_b=404, sag=403, eosg=403, owner=200, undp_owner=403, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_owner_update_an_action(request, api, adviser, persona):
    response = api(request.getfixturevalue(persona)).post(f"{ACTIONS}{adviser.pk}/progress/", _progress(adviser), format="json")
    assert response.status_code == UPDATE[persona]
    assert Action.objects.get(pk=adviser.pk).status == ("in_progress" if UPDATE[persona] == 200 else "planned")


def test_the_owner_closes_an_action_only_once_its_benchmarks_have_evidence(api, assert_error, adviser, owner):
    client = api(owner)
    url = f"{ACTIONS}{adviser.pk}/progress/"
    log = ActionUpdate.objects.filter(action=adviser).count()
    refused = assert_error(client.post(url, _progress(adviser, status="done"), format="json"), 400, fields=("status",))
    assert "Adviser in post" in refused["fields"]["status"][0]
    assert Action.objects.get(pk=adviser.pk).status == "planned"
    assert ActionUpdate.objects.filter(action=adviser).count() == log  # nothing half-written
    benchmark = adviser.benchmarks.get()
    met = client.post(f"{BENCHMARKS}{benchmark.pk}/meet/", {"evidence": "Contract signed 20 Nov"}, format="json")
    assert met.status_code == 200 and met.json()["evidence"] == "Contract signed 20 Nov" and met.json()["met_at"]
    done = client.post(url, _progress(adviser, status="done", evidence="Adviser arrived"), format="json")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["lock_version"]) == ("done", 1) and done.json()["completed_at"]
    entries = client.get(f"{ACTIONS}{adviser.pk}/updates/").json()["results"]
    assert entries[0]["evidence"] == "Adviser arrived" and entries[0]["author_name"] == str(owner)


def test_it_refuses_a_stale_update_and_keeps_the_first(api, assert_error, adviser, owner):
    client = api(owner)
    url = f"{ACTIONS}{adviser.pk}/progress/"
    assert client.post(url, _progress(adviser, status="blocked", text="Visa refused"), format="json").status_code == 200
    stale = assert_error(client.post(url, _progress(adviser, status="in_progress"), format="json"), 409)  # lock_version 0
    assert stale["code"] == "conflict"
    action = Action.objects.get(pk=adviser.pk)
    assert (action.status, action.lock_version) == ("blocked", 1)
    assert not ActionUpdate.objects.filter(action=adviser, status="in_progress").exists()


@pytest.mark.parametrize("changes,field", [
    ({"status": "finished"}, "status"),
    ({"status": 3}, "status"),
    ({"lock_version": "latest"}, "lock_version"),
    ({"lock_version": None}, "lock_version"),
    ({"progress": "half"}, "progress"),
    ({"evidence": "e" * 5001}, "evidence"),
    ({"status": "cancelled"}, "cancel_reason"),
])
def test_it_refuses_a_bad_update_and_writes_nothing(api, assert_error, adviser, owner, changes, field):
    log = ActionUpdate.objects.filter(action=adviser).count()
    assert_error(api(owner).post(f"{ACTIONS}{adviser.pk}/progress/", _progress(adviser, **changes), format="json"), 400, fields=(field,))
    action = Action.objects.get(pk=adviser.pk)
    assert (action.status, action.lock_version) == ("planned", 0)
    assert ActionUpdate.objects.filter(action=adviser).count() == log


MEET = dict(officer_a=403, officer_b=404, chair_a=403, chair_b=404, sag=403, eosg=403, owner=200, undp_owner=403, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_the_owner_report_a_benchmark_met(request, api, adviser, persona):
    benchmark = adviser.benchmarks.get()
    response = api(request.getfixturevalue(persona)).post(f"{BENCHMARKS}{benchmark.pk}/meet/", {"evidence": "e"}, format="json")
    assert response.status_code == MEET[persona]
    assert (Benchmark.objects.get(pk=benchmark.pk).met_at is not None) == (MEET[persona] == 200)


def test_it_refuses_a_benchmark_met_without_evidence_or_twice(api, assert_error, adviser, owner):
    benchmark = adviser.benchmarks.get()
    url = f"{BENCHMARKS}{benchmark.pk}/meet/"
    client = api(owner)
    assert_error(client.post(url, {"evidence": "  "}, format="json"), 400, fields=("evidence",))
    assert_error(client.post(url, {"evidence": "e", "met": True}, format="json"), 400, fields=("met",))
    assert Benchmark.objects.get(pk=benchmark.pk).met_at is None
    assert client.post(url, {"evidence": "Signed"}, format="json").status_code == 200
    again = assert_error(client.post(url, {"evidence": "Other"}, format="json"), 400)
    assert "already met" in again["fields"]["non_field_errors"][0]
    assert Benchmark.objects.get(pk=benchmark.pk).evidence == "Signed"


ADD_BENCHMARK = dict(officer_a=403, officer_b=404, chair_a=201, chair_b=404, sag=403, eosg=201, owner=201, undp_owner=403, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_owners_and_plan_editors_add_benchmarks(request, api, adviser, persona):
    body = {"description": "Field visit", "due_date": "2026-12-10"}
    response = api(request.getfixturevalue(persona)).post(f"{ACTIONS}{adviser.pk}/benchmarks/", body, format="json")
    assert response.status_code == ADD_BENCHMARK[persona]
    assert adviser.benchmarks.filter(description="Field visit").exists() == (ADD_BENCHMARK[persona] == 201)


def test_it_refuses_a_bad_benchmark(api, assert_error, adviser, owner):
    url = f"{ACTIONS}{adviser.pk}/benchmarks/"
    client = api(owner)
    assert_error(client.post(url, {"description": "Late", "due_date": "2026-11-01"}, format="json"), 400, fields=("due_date",))
    assert_error(client.post(url, {"description": "After", "due_date": "2027-06-01"}, format="json"), 400, fields=("due_date",))
    assert_error(client.post(url, {"description": "Typed", "due_date": "soon"}, format="json"), 400, fields=("due_date",))
    assert_error(client.post(url, {"description": "Extra", "due_date": "2026-12-01", "met_at": "2026-12-01"}, format="json"), 400, fields=("met_at",))
    assert list(adviser.benchmarks.values_list("description", flat=True)) == ["Adviser in post"]


# --- the dashboard ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "eosg"])
def test_it_shows_the_dashboard_only_to_eosg(request, api, assert_error, plan, persona):
    assert_error(api(request.getfixturevalue(persona)).get(DASHBOARD), 403)


def test_it_gives_eosg_the_dashboards_figures_under_the_pages_filters(api, assert_error, plan, adviser, eosg, owner, region_b, country_c, officer_a):
    Action.objects.filter(pk=adviser.pk).update(deadline=TODAY - dt.timedelta(days=8), overdue_step=2)
    file_scan(country_c, officer_a, Period.parse("2026-Q3"), rating=3)  # high risk, no plan: a warning without response
    client = api(eosg)
    body = client.get(DASHBOARD).json()
    assert body["today"] == "2026-11-27" and body["filters"] == {"region": None, "entity": None, "period": None}
    assert (body["actions"]["total"], body["actions"]["overdue"]) == (2, 1)
    assert {t["key"]: t["count"] for t in body["actions"]["by_status"]}["planned"] == 2
    assert body["overdue"] == [{
        "action": adviser.pk, "title": "Deploy a human rights adviser", "country": "Country A", "lead_entity": "OHCHR",
        "owner": str(owner), "deadline": "2026-11-19", "days": 8, "step": 2, "step_label": "Escalated to the regional chair",
    }]
    assert [w["name"] for w in body["warnings"]] == ["Country C"]
    gaps = client.get(DASHBOARD, {"region": region_b.pk}).json()["coverage_gaps"]
    assert gaps["countries_without_officer"] == [
        {"id": country_c.pk, "iso3": country_c.iso3, "name": "Country C", "region": "Region B", "notices_to": "eosg"}
    ]
    assert gaps["regions_without_chair"] == [{
        "id": region_b.pk, "code": region_b.code, "name": "Region B",
        "countries": [{"id": country_c.pk, "iso3": country_c.iso3, "name": "Country C"}],
    }]
    assert body["benchmarks"]["total"] == 2
    ohchr = adviser.lead_entity_id
    assert client.get(DASHBOARD, {"entity": ohchr}).json()["actions"]["total"] == 1
    assert client.get(DASHBOARD, {"region": region_b.pk}).json()["actions"]["total"] == 0
    assert client.get(DASHBOARD, {"period": "2026-q4"}).json()["filters"]["period"] == "2026-Q4"
    assert client.get(DASHBOARD, {"period": "2027-Q1"}).json()["actions"]["total"] == 0
    assert client.get(DASHBOARD, {"region": "", "period": ""}).json()["actions"]["total"] == 2
    assert_error(client.get(DASHBOARD, {"period": "last quarter"}), 400, fields=("period",))
    assert_error(client.get(DASHBOARD, {"region": 999999}), 400, fields=("region",))
    assert_error(client.get(DASHBOARD, {"regoin": region_b.pk}), 400, fields=("regoin",))  # never silently unfiltered


# --- query counts ----------------------------------------------------------------------------


def _more_plans(count: int, region, owner, eosg) -> None:
    """`count` more plans in `region`, each with three actions (one restricted, one supported by
    UNDP) and a benchmark."""
    undp = _entity("UNDP")
    for i in range(count):
        country = CountryFactory(region=region)
        alert = Alert.objects.create(country=country, title="t", location="l", severity="serious", description="d", raised_by=eosg)
        plan = Plan.objects.create(country=country, title=f"Plan {i}", source_alert=alert, created_by=eosg)
        for n, restricted in enumerate((False, False, True)):
            action = Action.objects.create(plan=plan, title=f"Action {n}", lead_entity=_entity("OHCHR"), owner=owner,
                                           deadline=TODAY + dt.timedelta(days=n - 1), restricted=restricted)
            action.supporting_entities.set([undp])
            Benchmark.objects.create(action=action, description="b", due_date=TODAY)


@pytest.mark.parametrize("persona,url,queries", [
    # session, user, roles, the page (+ the supporting entities of the page's actions): paged by keyset, no count
    ("owner", ACTIONS, 5), ("sag", ACTIONS, 5), ("eosg", ACTIONS, 5),
    ("chair_a", PLANS, 4), ("undp_owner", PLANS, 4),
    ("owner", BENCHMARKS, 4), ("chair_a", BENCHMARKS, 4),
])
def test_it_lists_in_the_same_number_of_queries_whatever_the_data(request, api, plan, region_a, owner, eosg, django_assert_num_queries, persona, url, queries):
    client = api(request.getfixturevalue(persona))
    with django_assert_num_queries(queries):
        small = len(client.get(url, {"page_size": 200}).json()["results"])
    _more_plans(12, region_a, owner, eosg)
    with django_assert_num_queries(queries):
        assert len(client.get(url, {"page_size": 200}).json()["results"]) > small


def test_it_computes_the_dashboard_in_the_same_number_of_queries_whatever_the_data(api, plan, region_a, owner, eosg, django_assert_num_queries):
    client = api(eosg)
    # The filter's region is read once; the regions' names once; the open warnings one query; the clock four;
    # the closed actions' tally, their benchmarks' and the completions' count one each.
    with django_assert_num_queries(18):
        assert client.get(DASHBOARD, {"region": region_a.pk}).json()["actions"]["total"] == 2
    _more_plans(12, region_a, owner, eosg)
    with django_assert_num_queries(18):
        assert client.get(DASHBOARD, {"region": region_a.pk}).json()["actions"]["total"] == 38


def test_the_dashboard_lists_the_open_warnings(api, country_a, officer_a, eosg):
    alert = scan_services.alert_raise(country=country_a, actor=officer_a, title="Attack", location="North",
                                      severity="imminent", description="d")
    rows = api(eosg).get(DASHBOARD).json()["open_warnings"]
    assert [(r["id"], r["country"], r["kind"], r["severity"]) for r in rows] == [
        (alert.warnings.get().pk, country_a.iso3, "alert", "imminent")]
