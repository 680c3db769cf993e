"""The sweeps' notices reach someone who can act (officers, chairs, or one level up, never
nobody), and the urgent ones are mailed at once, whatever the reader's digest preference."""

import datetime as dt

import pytest
from django.core import mail

from followup import enforcement
from followup.models import EnforcementEvent
from hruf.models import Country, Notification, User
from scans.periods import Period

from ..factories import file_scan

Q3 = Period.parse("2026-Q3")  # due 29 August 2026
REMINDER_DAY = Q3.due_date - dt.timedelta(days=3)
OVERDUE_DAY = Q3.due_date + dt.timedelta(days=1)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _sweep_scans(time_machine, day: dt.date) -> None:
    time_machine.move_to(_at(day), tick=False)
    enforcement.sweep_scans_due(now=_at(day))


def _heard(code: str, **params) -> set[str]:
    rows = Notification.objects.filter(code=code)
    for name, value in params.items():
        rows = rows.filter(**{f"params__{name}": value})
    return set(rows.values_list("recipient__username", flat=True))


def _digest_reader(user: User) -> User:
    User.objects.filter(pk=user.pk).update(email_mode=User.EmailMode.DIGEST)
    user.refresh_from_db()
    return user


@pytest.fixture
def only_country_a(country_a):
    # The reference countries have no officer: each would send its own notices up the line.
    Country.objects.exclude(pk=country_a.pk).delete()
    return country_a


# --- scans due ------------------------------------------------------------------------


def test_a_country_without_an_officer_has_its_scan_reminder_reach_the_chair(
    only_country_a, chair_a, eosg, time_machine
):
    _sweep_scans(time_machine, REMINDER_DAY)
    assert _heard("followup.scan_reminder", period="2026-Q3") == {"chair_a"}


def test_a_country_with_an_officer_has_its_scan_reminder_reach_the_officer_only(
    only_country_a, officer_a, chair_a, eosg, time_machine
):
    _sweep_scans(time_machine, REMINDER_DAY)
    assert _heard("followup.scan_reminder", period="2026-Q3") == {"officer_a"}


def test_an_overdue_scan_reaches_the_countrys_officers_and_the_chair_once(
    only_country_a, officer_a, chair_a, eosg, time_machine
):
    for day in (OVERDUE_DAY, OVERDUE_DAY, OVERDUE_DAY + dt.timedelta(days=5)):
        _sweep_scans(time_machine, day)
    assert _heard("followup.scan_overdue", period="2026-Q3") == {"officer_a", "chair_a"}
    assert Notification.objects.filter(code="followup.scan_overdue", params__period="2026-Q3").count() == 2
    assert EnforcementEvent.objects.filter(kind="scan_overdue", key__endswith=":2026-Q3:overdue").count() == 1


def test_a_submitted_scan_is_not_chased(only_country_a, officer_a, chair_a, matrix, time_machine):
    file_scan(only_country_a, officer_a, Q3)
    _sweep_scans(time_machine, OVERDUE_DAY)
    assert _heard("followup.scan_overdue", period="2026-Q3") == set()


def test_a_region_without_a_chair_has_its_overdue_scan_reach_eosg(only_country_a, officer_a, eosg, time_machine):
    _sweep_scans(time_machine, OVERDUE_DAY)
    assert _heard("followup.scan_overdue", period="2026-Q3") == {"officer_a", "eosg"}


def test_a_country_with_neither_officer_nor_chair_is_heard_by_eosg(only_country_a, eosg, time_machine):
    _sweep_scans(time_machine, REMINDER_DAY)
    _sweep_scans(time_machine, OVERDUE_DAY)
    assert _heard("followup.scan_reminder", period="2026-Q3") == {"eosg"}
    assert _heard("followup.scan_overdue", period="2026-Q3") == {"eosg"}


# --- risk rises (the warnings ledger, on submission) ------------------------------------


def test_a_risk_rise_in_a_region_without_a_chair_reaches_eosg(matrix, country_a, officer_a, eosg):
    file_scan(country_a, officer_a, Period.parse("2026-Q2"), rating=0)
    file_scan(country_a, officer_a, Q3, rating=2, evidence="e")
    assert _heard("scans.risk_rose") == {"eosg"}


# --- the overdue ladder -----------------------------------------------------------------


DEADLINE = dt.date(2026, 3, 1)


@pytest.fixture
def overdue_action(make_plan, time_machine):
    time_machine.move_to(_at(dt.date(2026, 1, 1)), tick=False)
    return make_plan(DEADLINE, dt.date(2026, 1, 1))


def _climb_to(day: dt.date, time_machine, capture) -> None:
    time_machine.move_to(_at(day), tick=False)
    with capture(execute=True):  # delivery runs after commit, as in production (tasks are eager in tests)
        enforcement.sweep_overdue(now=_at(day))


def _state(user: User, step: str) -> str:
    return Notification.objects.get(recipient=user, code="followup.overdue", params__step=step).email_state


def test_step_two_of_the_ladder_is_mailed_at_once_to_a_digest_chair_while_step_one_may_wait(
    overdue_action, owner, chair_a, time_machine, django_capture_on_commit_callbacks
):
    _digest_reader(owner)
    _digest_reader(chair_a)
    mail.outbox.clear()
    _climb_to(DEADLINE + dt.timedelta(days=1), time_machine, django_capture_on_commit_callbacks)
    assert _state(owner, "overdue_owner") == "digest"  # the owner's own first step waits for their digest
    assert mail.outbox == []

    _climb_to(DEADLINE + dt.timedelta(days=7), time_machine, django_capture_on_commit_callbacks)
    assert _state(chair_a, "overdue_chair") == "sent"
    assert _state(owner, "overdue_chair") == "sent"
    assert sorted(m.to[0] for m in mail.outbox) == ["chair_a@example.org", "owner@example.org"]


def test_step_three_is_mailed_at_once_to_digest_eosg(
    overdue_action, chair_a, eosg, time_machine, django_capture_on_commit_callbacks
):
    _digest_reader(eosg)
    _climb_to(DEADLINE + dt.timedelta(days=21), time_machine, django_capture_on_commit_callbacks)
    assert _state(eosg, "overdue_eosg") == "sent"
    assert "eosg@example.org" in [m.to[0] for m in mail.outbox]


def test_step_two_in_a_region_without_a_chair_reaches_eosg(overdue_action, owner, eosg, time_machine):
    time_machine.move_to(_at(DEADLINE + dt.timedelta(days=7)), tick=False)
    enforcement.sweep_overdue(now=_at(DEADLINE + dt.timedelta(days=7)))
    assert _heard("followup.overdue", step="overdue_chair") == {"owner", "eosg"}
