"""A library that learns (issue 12, item 4): EOSG keeps the templates (audited), with default benchmarks
and a default duration that new actions start from; retired templates stay on the plans that used them;
each template shows its use, its share of actions done on time and the median change of the score."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import services
from followup.library import template_stats
from followup.models import Action, ActionTemplate, Plan, TemplateBenchmark
from hruf.models import AuditEvent

TODAY = dt.date(2026, 11, 27)
LIST = reverse("followup:template_list")
NEW = reverse("followup:template_create")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(_at(TODAY), tick=False)


@pytest.fixture
def adviser(ohchr):
    template = ActionTemplate.objects.create(
        title="Deploy a human rights adviser", default_lead=ohchr, default_duration_days=60
    )
    TemplateBenchmark.objects.create(template=template, description="Adviser recruited", offset_days=20)
    TemplateBenchmark.objects.create(
        template=template, description="First report", offset_days=90, evidence_required=False
    )
    return template


def _draft(template, owner, deadline=None, title=None):
    return services.ActionDraft(
        title=title or template.title,
        lead_entity=template.default_lead,
        owner=owner,
        deadline=deadline or TODAY + dt.timedelta(days=template.default_duration_days),
        template=template,
    )


def test_an_action_drafted_from_a_template_starts_with_its_benchmarks(adviser, country_a, alert_a, eosg, owner):
    plan = services.plan_create(
        country=country_a, actor=eosg, title="P", source_alert=alert_a, actions=[_draft(adviser, owner)], today=TODAY
    )
    action = plan.actions.get()
    assert action.deadline == TODAY + dt.timedelta(days=60)
    # The second is due 90 days after adoption, past the 60-day deadline: it falls due on the deadline.
    assert list(action.benchmarks.values_list("description", "due_date", "evidence_required")) == [
        ("Adviser recruited", TODAY + dt.timedelta(days=20), True),
        ("First report", TODAY + dt.timedelta(days=60), False),
    ]


def test_the_plan_form_offers_active_templates_with_their_default_deadline(login, adviser, alert_a, eosg):
    retired = ActionTemplate.objects.create(title="Retired action", active=False)
    html = login(eosg).get(reverse("followup:plan_create"), {"alert": alert_a.pk}).content.decode()
    assert f'name="t{adviser.pk}-deadline" value="{TODAY + dt.timedelta(days=60)}"' in html
    assert f"t{retired.pk}-" not in html


def _form(**changes) -> dict:
    data = {
        "title": "Support local mediators",
        "description": "Insider mediation",
        "default_lead": "",
        "default_duration_days": "45",
        "active": "on",
        "b-TOTAL_FORMS": "2",
        "b-INITIAL_FORMS": "0",
        "b-MIN_NUM_FORMS": "0",
        "b-MAX_NUM_FORMS": "20",
        "b-0-description": "Mediators named",
        "b-0-offset_days": "10",
        "b-0-evidence_required": "on",
        "b-1-description": "",
        "b-1-offset_days": "",
    }
    return data | changes


def test_eosg_creates_a_template_with_default_benchmarks_audited(login, eosg, undp):
    response = login(eosg).post(NEW, _form(default_lead=undp.pk))
    assert response.status_code == 302
    template = ActionTemplate.objects.get(title="Support local mediators")
    assert (template.default_lead, template.default_duration_days, template.active) == (undp, 45, True)
    assert list(template.benchmarks.values_list("description", "offset_days")) == [("Mediators named", 10)]
    event = AuditEvent.objects.get(object_type="followup.actiontemplate", object_id=str(template.pk))
    assert event.action == "create" and event.actor == eosg
    assert event.detail["benchmarks"] == [
        {"description": "Mediators named", "offset_days": 10, "evidence_required": True}
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"b-0-offset_days": "50"}, "falls due by the default duration (45 days)"),
        ({"default_duration_days": "5000"}, "less than or equal to 1100"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_bad_template_input_gets_a_clear_message_and_keeps_what_was_typed(login, eosg, changes, message):
    response = login(eosg).post(NEW, _form(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Insider mediation</textarea>" in html and 'value="Mediators named"' in html
    assert not ActionTemplate.objects.filter(title__in=["Support local mediators", ""]).exists()


def test_retiring_a_template_in_use_keeps_it_on_its_open_plan(login, adviser, country_a, alert_a, eosg, owner):
    plan = services.plan_create(
        country=country_a, actor=eosg, title="P", source_alert=alert_a, actions=[_draft(adviser, owner)], today=TODAY
    )
    client = login(eosg)
    data = _form(
        title=adviser.title,
        description="",
        default_lead=adviser.default_lead_id,
        default_duration_days="60",
        active="",
        **{"b-TOTAL_FORMS": "0"},
    )
    response = client.post(reverse("followup:template_edit", args=[adviser.pk]), data, follow=True)
    assert response.status_code == 200
    assert "Retired: 1 open plan drafted from it keeps it." in response.content.decode()
    adviser.refresh_from_db()
    assert not adviser.active and plan.actions.get().template == adviser
    event = AuditEvent.objects.filter(object_type="followup.actiontemplate", action="update").get()
    assert event.changes["active"] == [True, False]
    html = client.get(LIST).content.decode()
    assert re.search(rf'data-template="{adviser.pk}">.*?retired', html, re.S)


def _action(plan: Plan, template, owner, deadline: dt.date, *, status="planned", done_on=None) -> Action:
    return Action.objects.create(
        plan=plan,
        template=template,
        title=template.title,
        lead_entity=template.default_lead,
        owner=owner,
        deadline=deadline,
        status=status,
        completed_at=_at(done_on) if done_on else None,
    )


def test_the_statistics_against_a_known_history(adviser, country_a, alert_a, eosg, owner):
    other = ActionTemplate.objects.create(title="Unused", default_lead=adviser.default_lead)
    plans = [
        Plan.objects.create(country=country_a, title=f"P{i}", source_alert=alert_a, created_by=eosg) for i in range(3)
    ]
    day = TODAY - dt.timedelta(days=100)
    _action(plans[0], adviser, owner, day, status="done", done_on=day)  # on time (its last day)
    _action(plans[0], adviser, owner, day, status="done", done_on=day + dt.timedelta(days=1))  # a day late
    extended = _action(
        plans[1], adviser, owner, day + dt.timedelta(days=30), status="done", done_on=day + dt.timedelta(days=20)
    )
    extended.deadline_changes.create(author=eosg, old_deadline=day, new_deadline=extended.deadline, reason="r")
    _action(plans[1], adviser, owner, TODAY - dt.timedelta(days=1))  # open past its deadline: due, not on time
    _action(plans[1], adviser, owner, TODAY + dt.timedelta(days=5))  # open, not due yet
    _action(plans[2], adviser, owner, day, status="cancelled")  # neither due nor on time
    # Closed plans with their scores: -10 and +5; the third is open and does not count.
    Plan.objects.filter(pk=plans[0].pk).update(closed_at=_at(TODAY), adoption_score=40, closing_score=30)
    Plan.objects.filter(pk=plans[1].pk).update(closed_at=_at(TODAY), adoption_score=20, closing_score=25)
    Plan.objects.filter(pk=plans[2].pk).update(adoption_score=50, closing_score=None)

    stats = {s.template.title: s for s in template_stats(ActionTemplate.objects.all(), TODAY)}
    s = stats[adviser.title]
    assert (s.actions, s.plans, s.done_on_time, s.due) == (6, 3, 1, 4)
    assert s.on_time_percent == 25
    assert (s.closed_plans, s.median_score_change) == (2, -10)  # nearest-rank median of [-10, +5]
    u = stats["Unused"]
    assert (u.actions, u.on_time_percent, u.median_score_change) == (0, None, None)
    assert other.pk == u.template.pk


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_the_library_page_shows_the_figures_in_a_fixed_number_of_queries(
    login, adviser, country_a, alert_a, eosg, owner, chair_a
):
    client = login(chair_a)
    plan = Plan.objects.create(country=country_a, title="P", source_alert=alert_a, created_by=eosg)
    _action(plan, adviser, owner, TODAY - dt.timedelta(days=3), status="done", done_on=TODAY - dt.timedelta(days=5))
    small = _list_queries(client)
    html = client.get(LIST).content.decode()
    assert re.search(r'data-figure="on-time">100% \(1/1\)', html) and "New template" not in html
    for i in range(30):
        template = ActionTemplate.objects.create(title=f"T{i}", default_lead=adviser.default_lead)
        TemplateBenchmark.objects.create(template=template, description="b", offset_days=3)
        _action(
            Plan.objects.create(
                country=country_a,
                title=f"P{i}",
                source_alert=alert_a,
                created_by=eosg,
                closed_at=_at(TODAY),
                adoption_score=10,
                closing_score=i,
            ),
            template,
            owner,
            TODAY,
            status="done",
            done_on=TODAY,
        )
    assert _list_queries(client) == small
