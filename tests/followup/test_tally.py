"""The closed actions' tally (followup.tally): kept by every write that closes, reopens, moves or deletes an
action, recounted at night, and giving the dashboard the same figures as counting every action."""

import datetime as dt
import logging

import pytest

from followup import services, tally
from followup.dashboard import Filters, dashboard_figures
from followup.models import Action, ActionStatus, Benchmark, ClosedActionTally
from followup.tasks import recount_closed_actions
from hruf.celery import app
from hruf.models import Country
from scans.periods import QUARTERLY, Period

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


def _kept() -> dict:
    return {(t.lead_entity.code, t.region.name, t.month, t.status): t.count
            for t in ClosedActionTally.objects.select_related("lead_entity", "region") if t.count}


def _figures(filters: Filters, *, everything: bool):
    """The dashboard over every action (from the tally), or over the same actions through a scope that
    names them (so counted one by one)."""
    actions = Action.objects.all() if everything else Action.objects.filter(pk__gt=0)
    f = dashboard_figures(actions=actions, benchmarks=Benchmark.objects.all(), countries=Country.objects.all(),
                          filters=filters, today=TODAY)
    return f.actions, f.by_entity, f.by_region, f.benchmarks


def _benchmarks_kept(action: Action) -> tuple[int, int, int]:
    row = ClosedActionTally.objects.get(lead_entity=action.lead_entity, month=action.deadline.replace(day=1),
                                        status=action.status)
    return row.benchmarks, row.benchmarks_met, row.benchmarks_on_time


@pytest.fixture
def lifecycle(make_plan, owner, eosg, chair_a, ohchr, undp):
    """Actions closed, cancelled and reopened through the services, and one in another region and entity."""
    first = make_plan(dt.date(2026, 12, 10), TODAY)
    plan = first.plan
    for description, due in (("Visit the north", dt.date(2026, 11, 30)), ("Report to the chair", dt.date(2026, 11, 1))):
        services.benchmark_add(action=first, actor=eosg, description=description, due_date=due, evidence_required=False,
                               today=dt.date(2026, 10, 1))
    services.benchmark_meet(benchmark=first.benchmarks.get(description="Visit the north"), actor=owner,
                            evidence="Seen by the adviser.")
    first.refresh_from_db()
    drafts = [services.ActionDraft(title=t, lead_entity=ohchr, owner=owner, deadline=d)
              for t, d in (("second", dt.date(2027, 1, 5)), ("third", dt.date(2026, 12, 20)))]
    second, third = (services.action_add(plan=plan, actor=eosg, draft=d, today=TODAY) for d in drafts)
    services.action_update(action=first, actor=owner, lock_version=first.lock_version, status=ActionStatus.DONE,
                           evidence="The adviser arrived in the capital.")
    services.action_update(action=second, actor=owner, lock_version=second.lock_version, status=ActionStatus.CANCELLED,
                           cancel_reason="The government refused the visit outright.")
    services.action_update(action=third, actor=owner, lock_version=third.lock_version, status=ActionStatus.DONE,
                           evidence="Report filed with the chair.")
    third.refresh_from_db()
    services.action_reopen(action=third, actor=chair_a, lock_version=third.lock_version, reason="The report was a draft.")
    elsewhere = Action.objects.create(plan=plan, title="elsewhere", lead_entity=undp, owner=owner,
                                      deadline=dt.date(2026, 10, 3), status=ActionStatus.DONE,
                                      completed_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    return {"first": first, "second": second, "third": third, "elsewhere": elsewhere}


def test_the_services_and_saves_keep_it_as_a_recount_would(lifecycle, region_a):
    assert _kept() == {
        ("OHCHR", "Region A", dt.date(2026, 12, 1), "done"): 1,
        ("OHCHR", "Region A", dt.date(2027, 1, 1), "cancelled"): 1,
        ("UNDP", "Region A", dt.date(2026, 10, 1), "done"): 1,
    }
    assert tally.recount() == 0


def test_a_closed_actions_benchmarks_are_counted_with_it_and_follow_a_late_meeting(lifecycle, owner):
    first = Action.objects.get(pk=lifecycle["first"].pk)
    assert _benchmarks_kept(first) == (2, 1, 1)  # two, one met on time
    services.benchmark_meet(benchmark=first.benchmarks.get(met_at__isnull=True), actor=owner, evidence="Filed late.")
    assert _benchmarks_kept(first) == (2, 2, 1)  # met after the action closed, and after its due date
    first.benchmarks.filter(met_at__isnull=False).first().delete()
    assert _benchmarks_kept(first)[0] == 1
    assert tally.recount() == 0


def test_a_saved_move_or_a_deletion_moves_the_count(lifecycle):
    moved = lifecycle["elsewhere"]
    moved.deadline = dt.date(2026, 9, 30)
    moved.save()
    assert _kept()[("UNDP", "Region A", dt.date(2026, 9, 1), "done")] == 1
    assert ("UNDP", "Region A", dt.date(2026, 10, 1), "done") not in _kept()
    Action.objects.get(pk=lifecycle["first"].pk).delete()
    assert ("OHCHR", "Region A", dt.date(2026, 12, 1), "done") not in _kept()
    assert tally.recount() == 0


def test_the_nightly_recount_corrects_and_reports_a_write_that_went_around_it(lifecycle, caplog):
    Action.objects.filter(pk=lifecycle["third"].pk).update(status=ActionStatus.CANCELLED)  # no sync
    with caplog.at_level(logging.ERROR, logger="followup.tally"):
        assert recount_closed_actions() == {"wrong": 1}
    assert "wrong for 1 keys" in caplog.text
    assert _kept()[("OHCHR", "Region A", dt.date(2026, 12, 1), "cancelled")] == 1
    assert recount_closed_actions() == {"wrong": 0}
    assert app.conf.beat_schedule["followup-recount-closed"]["task"] == "followup.tasks.recount_closed_actions"


@pytest.mark.parametrize("which", ["none", "region", "entity", "period", "empty period"])
def test_the_dashboard_counts_the_same_from_the_tally(lifecycle, region_a, undp, which):
    filters = {
        "none": Filters(), "region": Filters(region=region_a), "entity": Filters(entity=undp),
        "period": Period.containing(dt.date(2026, 12, 1), QUARTERLY),
        "empty period": Period.containing(dt.date(2025, 12, 1), QUARTERLY),
    }[which]
    if isinstance(filters, Period):
        filters = Filters(period=filters)
    from_tally, counted = _figures(filters, everything=True), _figures(filters, everything=False)
    assert from_tally == counted
    if which == "none":
        assert (from_tally[0].total, from_tally[0].done, from_tally[0].cancelled) == (4, 2, 1)
        assert (from_tally[3].total, from_tally[3].on_time_percent) == (2, 100.0)


def test_the_median_is_over_the_last_years_completions_unless_a_period_is_chosen(make_plan, owner, ohchr):
    plan = make_plan(dt.date(2026, 12, 10), TODAY).plan
    for created, completed in ((dt.date(2025, 1, 1), dt.date(2025, 11, 20)),  # 323 days, over a year ago
                               (dt.date(2026, 6, 1), dt.date(2026, 6, 11)),  # 10 days
                               (dt.date(2026, 9, 1), dt.date(2026, 9, 21))):  # 20 days
        action = Action.objects.create(plan=plan, title="t", lead_entity=ohchr, owner=owner, deadline=completed,
                                       status=ActionStatus.DONE,
                                       completed_at=dt.datetime.combine(completed, dt.time(12), tzinfo=dt.UTC))
        Action.objects.filter(pk=action.pk).update(created_at=dt.datetime.combine(created, dt.time(12), tzinfo=dt.UTC))
    recent = _figures(Filters(), everything=True)[0]
    assert (recent.median_days, recent.timed, recent.median_recent) == (15.0, 2, True)
    old = _figures(Filters(period=Period.containing(dt.date(2025, 11, 1), QUARTERLY)), everything=True)[0]
    assert (old.median_days, old.timed, old.median_recent) == (323.0, 1, False)


def test_the_migration_counts_the_actions_already_closed(lifecycle):
    from importlib import import_module

    from django.apps import apps

    ClosedActionTally.objects.all().delete()
    import_module("followup.migrations.0013_closed_action_tally").count_closed(apps, None)
    assert tally.recount() == 0
