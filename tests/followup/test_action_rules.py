"""The action rules of followup.models.plans: each QuerySet method agrees with its model method,
at the boundaries (due today, due yesterday, done, cancelled, benchmark met or unmet)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from followup.models import Action, ActionStatus, Benchmark, Plan
from followup.models.plans import overdue_days

TODAY = dt.date(2026, 6, 15)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture
def plan(country_a, alert_a, eosg):
    return Plan.objects.create(country=country_a, title="Plan", source_alert=alert_a, created_by=eosg)


@pytest.fixture
def make_action(plan, owner, ohchr):
    def _make(deadline: dt.date, status: str = ActionStatus.PLANNED, benchmarks=()) -> Action:
        action = Action.objects.create(
            plan=plan, title=f"due {deadline} {status}", owner=owner, lead_entity=ohchr, deadline=deadline, status=status
        )
        for due, met in benchmarks:
            Benchmark.objects.create(
                action=action, description=f"by {due}", due_date=due,
                met_at=dt.datetime.combine(due, dt.time(12), tzinfo=dt.UTC) if met else None,
            )
        return action

    return _make


def _both(queryset_method, model_method, action: Action) -> bool:
    """The rule as the database answers it and as the model answers it; they must agree."""
    in_query = queryset_method(Action.objects.filter(pk=action.pk)).exists()
    on_model = model_method(Action.objects.get(pk=action.pk))
    assert in_query == on_model, (in_query, on_model)
    return on_model


@pytest.mark.parametrize(
    ("status", "is_open"),
    [
        (ActionStatus.PLANNED, True),
        (ActionStatus.IN_PROGRESS, True),
        (ActionStatus.BLOCKED, True),
        (ActionStatus.DONE, False),
        (ActionStatus.CANCELLED, False),
    ],
)
def test_it_calls_an_action_open_until_it_is_done_or_cancelled(make_action, status, is_open):
    action = make_action(TODAY, status)
    assert _both(lambda qs: qs.open(), lambda a: a.is_open, action) is is_open


@pytest.mark.parametrize(
    ("deadline", "status", "overdue"),
    [
        (TODAY, ActionStatus.PLANNED, False),  # due today is not late yet
        (YESTERDAY, ActionStatus.PLANNED, True),
        (YESTERDAY, ActionStatus.BLOCKED, True),
        (YESTERDAY, ActionStatus.DONE, False),
        (YESTERDAY, ActionStatus.CANCELLED, False),
        (TOMORROW, ActionStatus.IN_PROGRESS, False),
    ],
)
def test_it_calls_an_action_overdue_when_open_and_its_deadline_passed(make_action, deadline, status, overdue):
    action = make_action(deadline, status)
    assert _both(lambda qs: qs.overdue(TODAY), lambda a: a.is_overdue(TODAY), action) is overdue


def test_it_judges_overdue_as_of_the_day_passed_in_not_today(make_action):
    action = make_action(dt.date(2026, 3, 20))
    assert _both(lambda qs: qs.overdue(dt.date(2026, 3, 31)), lambda a: a.is_overdue(dt.date(2026, 3, 31)), action)
    assert not _both(lambda qs: qs.overdue(dt.date(2026, 3, 20)), lambda a: a.is_overdue(dt.date(2026, 3, 20)), action)


@pytest.mark.parametrize(
    ("deadline", "status", "days"),
    [(YESTERDAY, ActionStatus.PLANNED, 1), (TODAY, ActionStatus.PLANNED, 0), (TODAY - dt.timedelta(days=9), ActionStatus.DONE, 0)],
)
def test_it_counts_the_days_overdue_the_same_for_rows_and_models(make_action, deadline, status, days):
    action = make_action(deadline, status)
    assert action.days_overdue(TODAY) == days
    assert overdue_days(status=action.status, deadline=action.deadline, as_of=TODAY) == days


@pytest.mark.parametrize(
    ("deadline", "status", "within"),
    [
        (YESTERDAY, ActionStatus.PLANNED, False),
        (TODAY, ActionStatus.PLANNED, True),
        (TODAY + dt.timedelta(days=7), ActionStatus.PLANNED, True),
        (TODAY + dt.timedelta(days=8), ActionStatus.PLANNED, False),
        (TOMORROW, ActionStatus.DONE, False),
    ],
)
def test_it_finds_actions_due_within_some_days_bounds_included(make_action, deadline, status, within):
    action = make_action(deadline, status)
    assert _both(lambda qs: qs.due_within(TODAY, 7), lambda a: a.is_due_within(TODAY, 7), action) is within


@pytest.mark.parametrize(
    ("benchmarks", "next_due"),
    [
        ((), dt.date(2026, 7, 1)),
        (((dt.date(2026, 6, 20), False),), dt.date(2026, 6, 20)),
        (((dt.date(2026, 6, 20), True),), dt.date(2026, 7, 1)),  # a met benchmark is no longer due
        (((dt.date(2026, 6, 20), True), (dt.date(2026, 6, 25), False)), dt.date(2026, 6, 25)),
        (((dt.date(2026, 8, 1), False),), dt.date(2026, 7, 1)),  # the deadline comes first
    ],
)
def test_it_takes_next_due_as_the_earlier_of_the_deadline_and_the_first_unmet_benchmark(make_action, benchmarks, next_due):
    action = make_action(dt.date(2026, 7, 1), benchmarks=benchmarks)
    assert Action.objects.with_next_due().get(pk=action.pk).next_due() == next_due
    assert Action.objects.get(pk=action.pk).next_due() == next_due


@pytest.mark.parametrize(
    ("deadline", "status", "benchmarks", "late"),
    [
        (TOMORROW, ActionStatus.PLANNED, ((YESTERDAY, False),), True),  # its benchmark is overdue
        (TOMORROW, ActionStatus.PLANNED, ((YESTERDAY, True),), False),
        (TOMORROW, ActionStatus.PLANNED, ((TODAY, False),), False),
        (YESTERDAY, ActionStatus.PLANNED, (), True),
        (YESTERDAY, ActionStatus.DONE, ((YESTERDAY, False),), False),
    ],
)
def test_it_calls_an_action_late_when_it_or_a_benchmark_is_overdue(make_action, deadline, status, benchmarks, late):
    action = make_action(deadline, status, benchmarks)
    assert _both(lambda qs: qs.late(TODAY), lambda a: a.is_late(TODAY), action) is late


@pytest.mark.parametrize(
    ("due", "met", "status", "pending", "overdue"),
    [
        (YESTERDAY, False, ActionStatus.IN_PROGRESS, True, True),
        (TODAY, False, ActionStatus.IN_PROGRESS, True, False),
        (YESTERDAY, True, ActionStatus.IN_PROGRESS, False, False),
        (YESTERDAY, False, ActionStatus.DONE, False, False),  # a closed action's benchmark is not waited for
        (YESTERDAY, False, ActionStatus.CANCELLED, False, False),
    ],
)
def test_it_calls_a_benchmark_pending_while_unmet_and_overdue_once_its_due_date_passed(
    make_action, due, met, status, pending, overdue
):
    benchmark = make_action(dt.date(2026, 9, 1), status, ((due, met),)).benchmarks.get()
    found = Benchmark.objects.filter(pk=benchmark.pk)
    assert found.pending().exists() is benchmark.is_pending is pending
    assert found.overdue(TODAY).exists() is benchmark.is_overdue(TODAY) is overdue


def test_it_finds_benchmarks_due_within_some_days_of_open_actions_only(make_action):
    open_ = make_action(dt.date(2026, 9, 1), benchmarks=((TODAY, False), (TODAY + dt.timedelta(days=8), False)))
    make_action(dt.date(2026, 9, 1), ActionStatus.DONE, ((TOMORROW, False),))
    assert list(Benchmark.objects.due_within(TODAY, 7)) == [open_.benchmarks.get(due_date=TODAY)]


def test_the_template_filter_applies_the_models_rule(make_action):
    template = Template("{% load action_rules %}{% if a|overdue_on:today %}late{% else %}fine{% endif %}")
    late, done = make_action(YESTERDAY), make_action(YESTERDAY, ActionStatus.DONE)
    assert template.render(Context({"a": late, "today": TODAY})) == "late"
    assert template.render(Context({"a": late, "today": YESTERDAY})) == "fine"
    assert template.render(Context({"a": done, "today": TODAY})) == "fine"


@pytest.mark.parametrize(("status", "badges"), [(ActionStatus.IN_PROGRESS, 2), (ActionStatus.DONE, 0)])
def test_the_action_page_badges_overdue_by_the_rule(make_action, login, eosg, time_machine, status, badges):
    """The page once compared dates itself and badged a done action's unmet benchmark overdue."""
    time_machine.move_to(dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC), tick=False)
    action = make_action(YESTERDAY, status, ((YESTERDAY, False), (TODAY, False)))
    page = login(eosg).get(reverse("followup:action_detail", args=[action.pk])).content.decode()
    assert page.count(">overdue</span>") == badges  # the action and its past-due benchmark, not the one due today
