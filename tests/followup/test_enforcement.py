"""The enforcement sweeps over simulated time: every step on schedule, exactly once."""

import datetime as dt

import pytest
from django.utils import timezone

from followup import enforcement
from followup.models import EnforcementEvent
from hruf.models import AuditEvent, Country, Notification, User
from scans.periods import Period

from ..factories import file_scan

START = dt.date(2026, 1, 1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _run_daily(first: dt.date, last: dt.date, *sweeps, time_machine=None):
    day = first
    while day <= last:
        if time_machine is not None:
            time_machine.move_to(_at(day), tick=False)
        for sweep in sweeps:
            sweep(now=_at(day))
        day += dt.timedelta(days=1)


def _events(country=None):
    rows = EnforcementEvent.objects.order_by("created_at", "id")
    if country is not None:
        rows = rows.filter(country=country)
    return [(e.kind, timezone.localdate(e.created_at)) for e in rows]


@pytest.fixture
def action(make_plan, time_machine):
    time_machine.move_to(_at(START), tick=False)
    return make_plan(dt.date(2026, 3, 1), START)


def test_the_ladder_runs_on_schedule_and_once(action, owner, chair_a, eosg, time_machine):
    Notification.objects.all().delete()
    _run_daily(START, dt.date(2026, 4, 30), enforcement.sweep_reminders, enforcement.sweep_overdue, time_machine=time_machine)
    assert _events() == [
        ("reminder", dt.date(2026, 2, 22)),  # 7 days before
        ("reminder", dt.date(2026, 2, 28)),  # 1 day before
        ("overdue_owner", dt.date(2026, 3, 2)),  # the day after the deadline
        ("overdue_chair", dt.date(2026, 3, 8)),  # after 7 days
        ("overdue_eosg", dt.date(2026, 3, 22)),  # after 21 days
    ]
    counts = {u.username: Notification.objects.filter(recipient=u).count() for u in (owner, chair_a, eosg)}
    assert counts == {"owner": 4, "chair_a": 1, "eosg": 1}
    action.refresh_from_db()
    assert (action.reminders_sent, action.overdue_step) == (2, 3)


def test_a_sweep_that_missed_days_records_every_step_once(action, time_machine):
    time_machine.move_to(_at(dt.date(2026, 6, 1)), tick=False)
    assert enforcement.sweep_overdue(now=_at(dt.date(2026, 6, 1))).done == 3
    assert enforcement.sweep_overdue(now=_at(dt.date(2026, 6, 1))).done == 0
    assert [k for k, _ in _events()] == ["overdue_owner", "overdue_chair", "overdue_eosg"]


def test_a_closed_action_is_left_alone(action, owner, time_machine):
    from followup import services

    services.action_update(action=action, actor=owner, lock_version=action.lock_version, status="cancelled",
                           cancel_reason="Overtaken by events")
    _run_daily(dt.date(2026, 2, 20), dt.date(2026, 4, 1), enforcement.sweep_reminders, enforcement.sweep_overdue,
               time_machine=time_machine)
    assert _events() == []


def test_benchmarks_climb_the_same_ladder(action, time_machine):
    from followup import services

    services.benchmark_add(actor=action.owner, action=action, description="Adviser recruited", due_date=dt.date(2026, 2, 1), today=START)
    _run_daily(START, dt.date(2026, 2, 28), enforcement.sweep_overdue, time_machine=time_machine)
    assert [k for k, _ in _events()] == ["overdue_owner", "overdue_chair", "overdue_eosg"]
    assert all(e.benchmark_id for e in EnforcementEvent.objects.all())


def test_a_new_deadline_restarts_the_ladder(action, eosg, time_machine):
    from followup import services

    time_machine.move_to(_at(dt.date(2026, 3, 10)), tick=False)
    enforcement.sweep_overdue(now=_at(dt.date(2026, 3, 10)))
    # A missed deadline is moved by extending it, with a reason (reassigning no longer moves it).
    services.action_extend(action=action, actor=eosg, lock_version=action.lock_version, new_deadline=dt.date(2026, 4, 1),
                           reason="Visa delayed", today=dt.date(2026, 3, 10))
    _run_daily(dt.date(2026, 3, 10), dt.date(2026, 4, 5), enforcement.sweep_overdue, time_machine=time_machine)
    assert [k for k, _ in _events()] == ["overdue_owner", "overdue_chair", "overdue_owner"]


def test_over_a_year_every_missing_scan_is_reminded_and_escalated_once(
    matrix, country_a, officer_a, chair_a, time_machine, settings
):
    Country.objects.exclude(pk=country_a.pk).delete()  # the reference countries only slow the year down
    file_scan(country_a, officer_a, Period.parse("2025-Q4"), rating=1)
    file_scan(country_a, officer_a, Period.parse("2026-Q2"), rating=1)  # filed early: nothing to chase
    _run_daily(START, dt.date(2026, 12, 31), enforcement.sweep_scans_due, time_machine=time_machine)
    due = {q: Period.parse(q).due_date for q in ("2026-Q1", "2026-Q3", "2026-Q4")}
    expected = []
    for d in due.values():
        expected += [("scan_reminder", d - dt.timedelta(days=7)), ("scan_overdue", d + dt.timedelta(days=1))]
    assert sorted(_events(country_a)) == sorted(expected)
    # The officer hears of each missing scan twice (before and after its due date), the chair once.
    assert Notification.objects.filter(recipient=officer_a, code="followup.scan_reminder").count() == 3
    assert Notification.objects.filter(recipient=officer_a, code="followup.scan_overdue").count() == 3
    assert Notification.objects.filter(recipient=chair_a).count() == 3


def test_the_weekly_digest_gathers_what_was_held(make_plan, owner, time_machine):
    time_machine.move_to(_at(START), tick=False)
    User.objects.filter(pk=owner.pk).update(email_mode="digest")
    owner.refresh_from_db()
    make_plan(START + dt.timedelta(days=3), START)  # "New action for you" is held for the digest
    assert Notification.objects.get(recipient=owner).email_state == "digest"
    assert enforcement.sweep_digests(now=_at(START)).done == 1
    assert enforcement.sweep_digests(now=_at(START)).done == 0
    digest = Notification.objects.get(recipient=owner, code="followup.digest")
    assert digest.email_state == "pending" and "Deploy a human rights adviser" in digest.body
    assert not Notification.objects.filter(recipient=owner, email_state="digest").exists()


def test_over_a_simulated_year_every_overdue_action_is_escalated_on_schedule_exactly_once(
    make_plan, owner, time_machine
):
    from followup import services

    time_machine.move_to(_at(START), tick=False)
    deadlines = [dt.date(2026, month, 15) for month in range(1, 13)]
    actions = [make_plan(d, START) for d in deadlines]
    for a in actions[::3]:  # done in time: never chased
        services.action_update(action=a, actor=owner, lock_version=a.lock_version, status="done", evidence="In post")
    _run_daily(START, dt.date(2027, 1, 31), enforcement.sweep_reminders, enforcement.sweep_overdue,
               time_machine=time_machine)
    day = dt.timedelta(days=1)
    for i, (action, d) in enumerate(zip(actions, deadlines, strict=True)):
        got = [(e.kind, timezone.localdate(e.created_at)) for e in action.events.order_by("created_at", "id")]
        expected = [] if i % 3 == 0 else [
            ("reminder", d - 7 * day), ("reminder", d - day),
            ("overdue_owner", d + day), ("overdue_chair", d + 7 * day), ("overdue_eosg", d + 21 * day),
        ]
        assert got == expected, d


def test_a_sweeps_events_carry_no_actor(make_plan, owner, time_machine):
    from followup import services

    action = make_plan(dt.date(2026, 3, 1), dt.date(2026, 1, 1))
    services.action_update(action=action, actor=owner, lock_version=action.lock_version, status="in_progress")
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    time_machine.move_to(dt.datetime(2026, 3, 30, 9, tzinfo=dt.UTC), tick=False)
    assert enforcement.sweep_overdue(now=dt.datetime(2026, 3, 30, 9, tzinfo=dt.UTC)).done == 3
    assert EnforcementEvent.objects.filter(action=action).count() == 3
    # The sweep acts for nobody: nothing it wrote is put down to the owner who last touched the action.
    assert not AuditEvent.objects.filter(id__gt=last).exclude(actor=None, actor_label="").exists()
