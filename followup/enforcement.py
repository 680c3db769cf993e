"""The enforcement sweeps: nothing identified may fall through the cracks.

Each sweep is a plain function of `now`, run by a Celery task, a management command or a
test. It picks the due rows through indexed columns, then handles each in its own
transaction: a compare-and-set UPDATE claims the row (actions and benchmarks), an event row
with a unique key records the step, and the notifications are written beside it (the
outbox; hruf.notifications delivers them after commit). Running a sweep twice, two beats at
once, or a worker killed half-way therefore neither repeats nor skips a step: a step is
either committed whole, with its event and notifications, or not at all and retried.

A row that fails (bad data, a bug) is logged with its id, counted in the sweep's result and left
for the next run; the sweep goes on with the other rows (hruf.sweeps).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hruf.concurrency import compare_and_set
from hruf.models import Country, Notification, Role, User
from hruf.notifications import notify
from hruf.recipients import chairs_or_above, country_officers, eosg_staff, officers_or_above
from hruf.sweeps import SweepResult, sweep_rows
from scans.models import Scan
from scans.periods import current_period, is_period_of, previous_period

from . import notices
from .models import Action, Benchmark, EnforcementEvent

log = logging.getLogger(__name__)
Kind = EnforcementEvent.Kind


def record_event(key: str, kind: str, **fields) -> bool:
    """Write the event that names this step; False if it exists already (someone did it)."""
    try:
        with transaction.atomic():
            EnforcementEvent.objects.create(key=key, kind=kind, **fields)
    except IntegrityError:
        return False
    return True


# --- the overdue ladder and reminders, for actions and benchmarks ---------------


def ladder_step(days_overdue: int) -> int:
    """0 not overdue; 1 the owner, on the day; 2 the region's chair after N days; 3 EOSG after M."""
    if days_overdue <= 0:
        return 0
    if days_overdue >= settings.FOLLOWUP_ESCALATE_EOSG_DAYS:
        return 3
    if days_overdue >= settings.FOLLOWUP_ESCALATE_CHAIR_DAYS:
        return 2
    return 1


def reminder_stage(days_left: int) -> int:
    """How many of the reminder thresholds (e.g. 7 and 1 days before) have been reached."""
    if days_left < 0:
        return 0
    return sum(1 for threshold in settings.FOLLOWUP_REMINDER_DAYS if days_left <= threshold)


def _open(model):
    return Action.objects.open() if model is Action else Benchmark.objects.pending()


def _load(model, pk: int) -> tuple[Action, Benchmark | None, dt.date, str]:
    """The action behind a claimed row, the benchmark if it is one, its due date and its label."""
    if model is Action:
        action = Action.objects.select_related("plan__country", "owner").get(pk=pk)
        return action, None, action.deadline, action.title
    benchmark = Benchmark.objects.select_related("action__plan__country", "action__owner").get(pk=pk)
    return benchmark.action, benchmark, benchmark.due_date, benchmark.description


_STEP_KIND = {1: Kind.OVERDUE_OWNER, 2: Kind.OVERDUE_CHAIR, 3: Kind.OVERDUE_EOSG}


def _owner_or_stand_in(action: Action, region_id: int) -> list[User]:
    """The owner, or, if they left or lost the role, the region's chairs (EOSG if it has none):
    a warning must reach someone who can act on it."""
    owner = action.owner
    still_owner = owner.is_active and owner.roles.filter(role=Role.OWNER, entity_id=action.lead_entity_id).exists()
    return [owner] if still_owner else chairs_or_above(region_id)


def _step_recipients(step: int, action: Action, region_id: int) -> list[User]:
    if step == 1:
        return _owner_or_stand_in(action, region_id)
    if step == 2:
        return [*_owner_or_stand_in(action, region_id), *chairs_or_above(region_id)]
    return eosg_staff()


def sweep_overdue(*, now: dt.datetime | None = None) -> SweepResult:
    """Advance every overdue action and benchmark to the step its age calls for."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    chair_day = today - dt.timedelta(days=settings.FOLLOWUP_ESCALATE_CHAIR_DAYS)
    eosg_day = today - dt.timedelta(days=settings.FOLLOWUP_ESCALATE_EOSG_DAYS)
    due = Q(overdue_step=0) | Q(overdue_step=1, deadline__lte=chair_day) | Q(overdue_step=2, deadline__lte=eosg_day)
    result = sweep_rows(
        "overdue actions",
        Action.objects.overdue(today).filter(due).values_list("pk", "overdue_step", "deadline"),
        lambda row: _advance(Action, *row[:2], ladder_step((today - row[2]).days), row[2]),
        row_id=lambda row: f"action {row[0]}",
    )
    bench_due = (
        Q(overdue_step=0) | Q(overdue_step=1, due_date__lte=chair_day) | Q(overdue_step=2, due_date__lte=eosg_day)
    )
    return result + sweep_rows(
        "overdue benchmarks",
        Benchmark.objects.overdue(today).filter(bench_due).values_list("pk", "overdue_step", "due_date"),
        lambda row: _advance(Benchmark, *row[:2], ladder_step((today - row[2]).days), row[2]),
        row_id=lambda row: f"benchmark {row[0]}",
    )


def _claim(model, pk: int, due: dt.date, *, was: dict, now: dict) -> bool:
    """Compare-and-set on the row as it was read. The due date is part of it: a deadline moved
    meanwhile (which restarts the ladder) must not be stepped on with the old one's step."""
    date_field = "deadline" if model is Action else "due_date"
    return compare_and_set(_open(model), pk=pk, expected={date_field: due, **was}, new=now)


def _advance(model, pk: int, step: int, target: int, due_read: dt.date) -> int:
    if target <= step:
        return 0
    with transaction.atomic():
        # The claim: only one sweep moves this row from `step`; the others update nothing.
        if not _claim(model, pk, due_read, was={"overdue_step": step}, now={"overdue_step": target}):
            return 0
        action, benchmark, due, label = _load(model, pk)
        what = f"{model.__name__.lower()}:{pk}"
        country = action.plan.country
        link = reverse("followup:action_detail", args=[action.pk])
        for s in range(step + 1, target + 1):  # a sweep that missed days still records every step
            if not record_event(f"{what}:{due}:overdue:{s}", _STEP_KIND[s], action=action, benchmark=benchmark,
                           country=country, detail_code="step", detail_params={"n": s}):
                continue
            notify(
                recipients=_step_recipients(s, action, country.region_id),
                code=notices.OVERDUE,
                params={"step": str(_STEP_KIND[s]), "label": label, "country": str(country),
                        "date": due.isoformat(), "owner": str(action.owner), "action_id": action.pk},
                link=link,
                # Past the owner's own step the ladder is urgent news: never held back for a digest.
                hold_for_digest=s < 2,
            )
    return target - step


def sweep_reminders(*, now: dt.datetime | None = None) -> SweepResult:
    """Remind owners before deadlines (for instance 7 days and 1 day before), actions and benchmarks."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ahead = max(settings.FOLLOWUP_REMINDER_DAYS)
    stages = len(settings.FOLLOWUP_REMINDER_DAYS)
    result = sweep_rows(
        "action reminders",
        Action.objects.due_within(today, ahead).filter(reminders_sent__lt=stages).values_list(
            "pk", "reminders_sent", "deadline"
        ),
        lambda row: _remind(Action, *row[:2], reminder_stage((row[2] - today).days), row[2]),
        row_id=lambda row: f"action {row[0]}",
    )
    return result + sweep_rows(
        "benchmark reminders",
        Benchmark.objects.due_within(today, ahead).filter(reminders_sent__lt=stages).values_list(
            "pk", "reminders_sent", "due_date"
        ),
        lambda row: _remind(Benchmark, *row[:2], reminder_stage((row[2] - today).days), row[2]),
        row_id=lambda row: f"benchmark {row[0]}",
    )


def _remind(model, pk: int, stage: int, target: int, due_read: dt.date) -> int:
    if target <= stage:
        return 0
    with transaction.atomic():
        if not _claim(model, pk, due_read, was={"reminders_sent": stage}, now={"reminders_sent": target}):
            return 0
        action, benchmark, due, label = _load(model, pk)
        # One reminder for the threshold reached, even if an earlier one was never due.
        if not record_event(f"{model.__name__.lower()}:{pk}:{due}:reminder:{target}", Kind.REMINDER, action=action,
                       benchmark=benchmark, country=action.plan.country, detail_code="due",
                       detail_params={"date": due.isoformat()}):
            return 0
        notify(
            recipients=_owner_or_stand_in(action, action.plan.country.region_id),
            code=notices.REMINDER,
            params={"date": due.isoformat(), "label": label, "country": str(action.plan.country),
                    "action_id": action.pk},
            link=reverse("followup:action_detail", args=[action.pk]),
        )
    return 1


# --- scans due -------------------------------------------------------------------


def sweep_scans_due(*, now: dt.datetime | None = None) -> SweepResult:
    """Every country needs a submitted scan each period: remind its officers before the due
    date, and once it is overdue (this period's or the last one's) tell them and the region's
    chair. Without an officer or a chair, the notice goes one level up (hruf.recipients). Only
    periods the country files as of today count (scans.periods.is_period_of): when monthly
    reporting starts, the quarter it interrupts and the months before it are never owed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    countries = list(Country.objects.select_related("region"))
    periods = {}

    def plan(c: Country) -> int:
        current = current_period(c, today)
        periods[c.pk] = [p for p in (previous_period(c, current), current) if is_period_of(c, p, today)]
        return 0

    result = sweep_rows("scans due: periods", countries, plan, row_id=lambda c: f"country {c.pk}")
    codes = {p.code for ps in periods.values() for p in ps}
    submitted = set(
        Scan.objects.submitted().filter(period__in=codes).values_list("country_id", "period")
    )
    done = set(
        EnforcementEvent.objects.filter(kind__in=[Kind.SCAN_REMINDER, Kind.SCAN_OVERDUE], created_at__gte=now - dt.timedelta(days=200))
        .values_list("key", flat=True)
    )
    remind_from = dt.timedelta(days=settings.SCAN_REMINDER_DAYS_BEFORE)

    def step(c: Country) -> int:
        count = 0
        for period in periods[c.pk]:
            if (c.pk, period.code) in submitted or period.start > today:
                continue
            due = period.due_date
            if today > due:
                kind, key = Kind.SCAN_OVERDUE, f"scan:{c.iso3}:{period.code}:overdue"
            elif today >= due - remind_from:
                kind, key = Kind.SCAN_REMINDER, f"scan:{c.iso3}:{period.code}:reminder"
            else:
                continue
            if key in done:
                continue
            count += _scan_step(c, period, kind, key)
        return count

    return result + sweep_rows(
        "scans due", [c for c in countries if c.pk in periods], step, row_id=lambda c: f"country {c.pk}"
    )


def _scan_step(country: Country, period, kind: str, key: str) -> int:
    with transaction.atomic():
        if not record_event(key, kind, country=country, detail_code="period", detail_params={"period": period.code}):
            return 0
        if kind == Kind.SCAN_REMINDER:
            recipients = officers_or_above(country)
            code = notices.SCAN_REMINDER
        else:
            recipients = [*country_officers(country), *chairs_or_above(country.region_id)]
            code = notices.SCAN_OVERDUE
        notify(
            recipients=recipients,
            code=code,
            params={"country": str(country), "period": period.code, "date": period.due_date.isoformat()},
            link=reverse("scans:country_detail", args=[country.iso3]),
        )
    return 1


# --- the weekly digest -----------------------------------------------------------


def sweep_digests(*, now: dt.datetime | None = None) -> SweepResult:
    """One email a week for people who chose the digest: their due and overdue actions, and
    every notification held for them since the last digest."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year, week, _weekday = today.isocalendar()

    def step(user: User) -> int:
        key = f"digest:{user.pk}:{year}-W{week:02d}"
        with transaction.atomic():
            if not record_event(key, Kind.DIGEST, detail_code="user", detail_params={"username": user.username}):
                return 0
            held = list(Notification.objects.filter(recipient=user).held_for_digest().order_by("created_at"))
            due = list(Action.objects.due_within(today, 7).filter(owner=user))
            overdue = list(Action.objects.overdue(today).filter(owner=user))
            notify(
                recipients=[user],
                code=notices.DIGEST,
                params={
                    "due": [[a.title, a.deadline.isoformat()] for a in due],
                    "overdue": [[a.title, a.deadline.isoformat()] for a in overdue],
                    "changed": [{"code": n.code, "params": n.params} for n in held],
                },
                link=reverse("followup:my_actions"),
                hold_for_digest=False,
            )
            Notification.objects.filter(pk__in=[n.pk for n in held]).update(
                email_state=Notification.EmailState.SENT, email_sent_at=now
            )
        return 1

    return sweep_rows(
        "digests", User.objects.filter(is_active=True, email_mode=User.EmailMode.DIGEST), step,
        row_id=lambda user: f"user {user.pk}",
    )
