"""Drafting a follow-up plan through the API, under the page's rules: for a decision or an alert,
from the template library's actions, by EOSG or the chair of the country's region. Every other
persona is refused with the page's status; bad input is refused field by field, nothing written."""

import datetime as dt

import pytest

from followup.models import Action, ActionTemplate, Plan
from hruf.models import AuditEvent, Entity, Notification, Role
from reviews import services as reviews
from scans.models import Alert
from scans.periods import Period

from ..factories import UserFactory, file_scan, grant

pytestmark = pytest.mark.usefixtures("matrix")
TODAY = dt.date(2026, 11, 27)
DEADLINE = "2027-01-15"
PLANS = "/api/v1/plans/"
PERSONAS = ["officer_a", "officer_b", "chair_a", "chair_b", "sag", "eosg", "owner", "outsider"]


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def ohchr(db):
    return Entity.objects.get_or_create(code="OHCHR", defaults={"name": "OHCHR"})[0]


@pytest.fixture
def undp_owner(db):
    undp = Entity.objects.get_or_create(code="UNDP", defaults={"name": "UNDP"})[0]
    return grant(UserFactory(username="undp_owner"), Role.OWNER, entity=undp)


@pytest.fixture
def adviser(ohchr):
    """A template of the library, led by OHCHR as usual."""
    return ActionTemplate.objects.update_or_create(
        title="Deploy or extend a human rights adviser",
        defaults={"description": "Human rights capacity in the RC's office.", "default_lead": ohchr, "active": True},
    )[0]


def _decide(region, chair, decision: str, quarter: Period):
    meeting = reviews.rqr_create(actor=chair, region=region, quarter=quarter, date=TODAY, chair=chair)
    reviews.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    item = meeting.items.get()
    return reviews.item_record(item=item, actor=chair, lock_version=0, summary="s", agreed_tier="", agreed_tier_reason="",
                               decision=decision, decision_reason="Needs a plan", dissent="")


@pytest.fixture
def decision(country_a, officer_a, region_a, chair_a):
    """Region A's published review decided on a follow-up plan for Country A."""
    file_scan(country_a, officer_a, Period.parse("2026-Q4"), rating=3, today=TODAY)
    return _decide(region_a, chair_a, "plan", Period.parse("2026-Q4"))


@pytest.fixture
def alert(country_a, officer_a):
    return Alert.objects.create(country=country_a, title="Attack", location="North", severity="severe",
                                description="d", raised_by=officer_a)


def _plan(source: dict, owner, **changes) -> dict:
    action = {"template": changes.pop("template", None), "owner": owner.pk, "deadline": DEADLINE}
    action = {k: v for k, v in action.items() if v is not None} | changes.pop("action", {})
    return source | {"title": "Protect civilians in the north", "actions": [action]} | changes


# As on the page: who reads the decision but may not plan for Country A gets 403; who may not
# read it, 404.
DRAFT = dict(officer_a=403, officer_b=404, chair_a=201, chair_b=404, sag=403, eosg=201, owner=404, outsider=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_eosg_and_the_regions_chair_draft_a_plan_for_a_decision(request, api, decision, adviser, owner, persona):
    user = request.getfixturevalue(persona)
    response = api(user).post(PLANS, _plan({"source_item": decision.pk}, owner, template=adviser.pk), format="json")
    assert response.status_code == DRAFT[persona], response.content
    assert Plan.objects.count() == Action.objects.count() == (1 if DRAFT[persona] == 201 else 0)
    if DRAFT[persona] == 201:
        assert AuditEvent.objects.filter(actor=user, action="create", object_type="followup.plan").count() == 1


def test_the_chair_drafts_a_plan_from_a_template_and_an_action_of_their_own(api, decision, adviser, owner, chair_a, ohchr):
    body = _plan({"source_item": decision.pk}, owner, template=adviser.pk)
    body["actions"].append({"title": "Monitor the trial", "lead_entity": ohchr.pk, "owner": owner.pk, "deadline": "2027-02-01",
                            "description": "Weekly", "restricted": True, "supporting": [ohchr.pk]})
    response = api(chair_a).post(PLANS, body, format="json")
    assert response.status_code == 201, response.content
    plan = Plan.objects.get()
    assert response["Location"] == f"http://testserver{PLANS}{plan.pk}/"
    scored = decision.country.scans.get(period="2026-Q4").submitted_revision
    assert response.json() | {"created_at": None} == {
        "id": plan.pk, "title": "Protect civilians in the north", "country": decision.country_id, "country_name": "Country A",
        "country_iso3": decision.country.iso3, "source_item": decision.pk, "source_alert": None, "created_at": None,
        "adoption_score": scored.score, "adoption_tier": scored.tier, "closed_at": None, "closing_score": None,
        "closing_tier": "", "actions_on_time": None, "actions_late": None, "actions_cancelled": None, "outcome": "",
        "helped": "",
    }
    assert api(chair_a).get(response["Location"]).json() == response.json()
    actions = list(plan.actions.order_by("deadline").values_list("title", "description", "lead_entity__code", "template", "restricted"))
    assert actions == [
        (adviser.title, adviser.description, "OHCHR", adviser.pk, False),  # filled in from the template
        ("Monitor the trial", "Weekly", "OHCHR", None, True),
    ]
    assert not plan.actions.get(restricted=True).supporting_entities.exists()  # the lead does not support itself
    assert AuditEvent.objects.filter(actor=chair_a, action="create", object_type="followup.plan", object_id=str(plan.pk)).exists()
    assert Notification.objects.filter(recipient=owner, code="followup.action_assigned").count() == 2


def test_eosg_drafts_a_plan_for_an_alert_overriding_the_templates_wording(api, alert, adviser, owner, eosg):
    body = _plan({"source_alert": alert.pk}, owner, template=adviser.pk, action={"title": "Adviser to the north"})
    response = api(eosg).post(PLANS, body, format="json")
    assert response.status_code == 201, response.content
    plan = Plan.objects.get()
    assert (plan.source_alert, plan.source_item, plan.created_by) == (alert, None, eosg)
    assert list(plan.actions.values_list("title", "description")) == [("Adviser to the north", adviser.description)]


def test_it_answers_a_source_out_of_scope_or_calling_for_no_plan_like_one_that_does_not_exist(
    api, assert_error, decision, alert, adviser, owner, chair_b, region_b, country_c, officer_a, eosg
):
    missing = assert_error(api(eosg).post(PLANS, _plan({"source_item": 999999}, owner, template=adviser.pk), format="json"), 404)
    assert assert_error(api(chair_b).post(PLANS, _plan({"source_alert": alert.pk}, owner, template=adviser.pk), format="json"), 404) == missing
    assert assert_error(api(eosg).post(PLANS, _plan({"source_alert": 999999}, owner, template=adviser.pk), format="json"), 404) == missing
    file_scan(country_c, officer_a, Period.parse("2026-Q4"), rating=3, today=TODAY)
    monitor = _decide(region_b, chair_b, "monitor", Period.parse("2026-Q4"))
    assert assert_error(api(eosg).post(PLANS, _plan({"source_item": monitor.pk}, owner, template=adviser.pk), format="json"), 404) == missing
    assert not Plan.objects.exists()


def test_it_answers_an_anonymous_draft_with_401(api, assert_error, decision, adviser, owner):
    body = _plan({"source_item": decision.pk}, owner, template=adviser.pk)
    assert assert_error(api().post(PLANS, body, format="json"), 401)["code"] == "not_authenticated"
    assert not Plan.objects.exists()


@pytest.mark.parametrize("change,field", [
    (lambda b, w: b.pop("source_item"), "non_field_errors"),
    (lambda b, w: b.update(source_alert=w["alert"].pk), "non_field_errors"),
    (lambda b, w: b.update(source_item="first"), "source_item"),
    (lambda b, w: b.update(source_item=2**70), "source_item"),
    (lambda b, w: b.pop("title"), "title"),
    (lambda b, w: b.update(title=" "), "title"),
    (lambda b, w: b.update(title="x" * 201), "title"),
    (lambda b, w: b.update(actions=[]), "actions"),
    (lambda b, w: b.update(actions=[b["actions"][0]] * 51), "actions"),
    (lambda b, w: b.update(actions="adviser"), "actions"),
    (lambda b, w: b.update(urgent=True), "urgent"),
    (lambda b, w: b["actions"][0].pop("owner"), "actions"),
    (lambda b, w: b["actions"][0].pop("deadline"), "actions"),
    (lambda b, w: b["actions"][0].update(deadline="soon"), "actions"),
    (lambda b, w: b["actions"][0].update(owner=w["eosg"].pk), "actions"),  # not a focal point of anything
    (lambda b, w: b["actions"][0].update(template=999999), "actions"),
    (lambda b, w: b["actions"][0].update(supporting=[999999]), "actions"),
    (lambda b, w: b["actions"][0].update(priority="high"), "actions"),
])
def test_it_refuses_a_bad_plan_and_writes_nothing(api, assert_error, decision, alert, adviser, owner, chair_a, eosg, change, field):
    body = _plan({"source_item": decision.pk}, owner, template=adviser.pk)
    change(body, {"alert": alert, "eosg": eosg})
    assert_error(api(chair_a).post(PLANS, body, format="json"), 400, fields=(field,))
    assert not Plan.objects.exists() and not Action.objects.exists() and not Notification.objects.filter(recipient=owner).exists()


def test_it_says_which_action_is_wrong_and_why(api, assert_error, decision, adviser, owner, undp_owner, chair_a, ohchr):
    body = _plan({"source_item": decision.pk}, owner, template=adviser.pk)
    body["actions"] += [
        {"owner": owner.pk, "deadline": DEADLINE},  # neither a template nor a title and lead
        {"template": adviser.pk, "owner": undp_owner.pk, "deadline": "2026-11-01"},
    ]
    fields = assert_error(api(chair_a).post(PLANS, body, format="json"), 400, fields=("actions",))["fields"]
    assert list(fields["actions"]) == ["1"] and set(fields["actions"]["1"]) == {"title", "lead_entity"}
    # Only once the shapes are right does the service judge the people and dates, action by action.
    body["actions"][1] |= {"title": "Monitor the trial", "lead_entity": ohchr.pk}
    fields = assert_error(api(chair_a).post(PLANS, body, format="json"), 400, fields=("actions",))["fields"]
    assert list(fields["actions"]) == ["2"]
    assert fields["actions"]["2"]["deadline"] == ["The deadline is in the past."]
    assert "not a focal point of OHCHR" in fields["actions"]["2"]["owner"][0]
    assert not Plan.objects.exists() and not Action.objects.exists()


def test_it_refuses_a_retired_template(api, assert_error, decision, adviser, owner, chair_a):
    adviser.active = False
    adviser.save()
    body = _plan({"source_item": decision.pk}, owner, template=adviser.pk)
    assert "template" in assert_error(api(chair_a).post(PLANS, body, format="json"), 400)["fields"]["actions"]["0"]
    assert not Plan.objects.exists()
