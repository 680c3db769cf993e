"""The bench's reviews, follow-up and inboxes: years of recorded meetings (through the services), then
plans, actions with benchmarks, updates and escalation events, and notifications (in bulk); how many of
each, bench.generate.Size says."""

from __future__ import annotations

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from followup import tally
from followup.enforcement import ladder_step, reminder_stage
from followup.models import Action, ActionTemplate, ActionUpdate, Benchmark, EnforcementEvent, Plan
from followup.models.plans import OPEN_STATUSES, ActionStatus
from hruf.models import Notification, Region
from reviews import services as reviews
from reviews.models import AgendaItem, Decision, Meeting
from scans import services as scans
from scans.models import Alert
from scans.periods import MONTHLY, QUARTERLY, Period

BATCH = 5000


def meetings(rng: random.Random, today: dt.date, people: dict, log, *, quarters: int) -> None:
    """Every region's quarterly review for as many past quarters and a SAG meeting each quarter, published and
    recorded; this quarter's reviews are in preparation."""
    quarter = Period.containing(today, QUARTERLY)
    past = []
    for _ in range(quarters):
        quarter = quarter.previous()
        past.append(quarter)
    regions = list(Region.objects.order_by("name"))
    monitored: list[AgendaItem] = []  # cases a SAG kept monitoring: the next SAG meeting takes them again
    for i, q in enumerate(reversed(past)):
        escalated = []
        for region in regions:
            chair = people["chairs"][region.pk]
            meeting = reviews.rqr_create(actor=chair, region=region, quarter=q, date=q.end - dt.timedelta(days=20), chair=chair)
            items = _hold(meeting, chair, rng, {Decision.MONITOR: 55, Decision.PLAN: 30, Decision.ESCALATE: 15})
            escalated += [item for item in items if item.decision == Decision.ESCALATE]
        if escalated or monitored:
            sag = reviews.sag_create(actor=people["eosg"][0], date=q.end - dt.timedelta(days=5), members=people["sag"])
            for item in escalated + monitored:
                sag.refresh_from_db()
                reviews.sag_take(actor=people["eosg"][0], meeting=sag, lock_version=sag.lock_version, source_item=item)
            taken = _hold(sag, people["eosg"][0], rng, {Decision.MONITOR: 40, Decision.PLAN: 60})
            monitored = [item for item in taken if item.decision == Decision.MONITOR]
        if i % 10 == 9:
            log(f"    {i + 1} quarters of meetings")
    for region in regions:
        reviews.rqr_create(actor=people["chairs"][region.pk], region=region, quarter=Period.containing(today, QUARTERLY),
                           date=today + dt.timedelta(days=14), chair=people["chairs"][region.pk])


def _hold(meeting: Meeting, chair, rng: random.Random, decisions: dict) -> list[AgendaItem]:
    meeting.refresh_from_db()
    if not meeting.items.included().exists():
        return []
    reviews.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)
    meeting.refresh_from_db()
    reviews.meeting_advance(actor=chair, meeting=meeting, lock_version=meeting.lock_version)
    items = list(meeting.items.included().select_related("country", "meeting"))
    for item in items:
        decision = rng.choices(list(decisions), weights=list(decisions.values()))[0]
        reviews.item_record(
            item=item, actor=chair, lock_version=item.lock_version, summary=f"Discussed {item.country.name}.",
            agreed_tier=item.snap_tier, agreed_tier_reason="", decision=decision,
            decision_reason="The trend and the alerts call for it.", dissent="",
        )
        item.decision = decision
    meeting.refresh_from_db()
    reviews.meeting_advance(actor=chair, meeting=meeting, lock_version=meeting.lock_version)
    return items


def plans_and_actions(rng: random.Random, today: dt.date, people: dict, *, count: int) -> None:
    """A plan for each decision that called for one and for each alert; `count` actions spread over
    them. Old actions are mostly done; open ones stand at the escalation step their age calls for."""
    now = timezone.now()
    creator = people["eosg"][0]
    plans = [Plan(country_id=item.country_id, title=f"Follow-up: {item.country.name}", source_item=item,
                  created_by=creator)
             for item in AgendaItem.objects.filter(decision=Decision.PLAN).select_related("country", "meeting")]
    plans += [Plan(country_id=a.country_id, title=f"Response to: {a.title}", source_alert=a, created_by=creator)
              for a in Alert.objects.all()]
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    with connection.cursor() as cursor:  # a plan dates from its meeting or its alert
        cursor.execute("""UPDATE followup_plan p SET created_at = m.date + interval '3 days'
                          FROM reviews_agendaitem i JOIN reviews_meeting m ON m.id = i.meeting_id
                          WHERE p.source_item_id = i.id""")
        cursor.execute("""UPDATE followup_plan p SET created_at = a.raised_at + interval '2 days'
                          FROM scans_alert a WHERE p.source_alert_id = a.id""")
    plans = list(Plan.objects.values_list("pk", "created_at"))
    templates = list(ActionTemplate.objects.values_list("title", "default_lead_id"))
    owners = people["owners"]
    entities = list(owners)
    actions = []
    for n in range(count):
        plan_id, created = plans[n % len(plans)] if n < len(plans) else rng.choice(plans)
        title, lead = rng.choice(templates)
        lead = lead or rng.choice(entities)
        deadline = min(created.date() + dt.timedelta(days=rng.randint(30, 400)), today + dt.timedelta(days=365))
        age = (today - deadline).days
        if age > 60:
            status = rng.choices([ActionStatus.DONE, ActionStatus.CANCELLED, ActionStatus.IN_PROGRESS], [85, 10, 5])[0]
        elif age > 0:
            status = rng.choice([ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED, ActionStatus.PLANNED])
        else:
            status = rng.choice([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED, ActionStatus.DONE])
        is_open = status in OPEN_STATUSES
        done_at = dt.datetime.combine(deadline + dt.timedelta(days=rng.randint(-60, 20)), dt.time(12), tzinfo=dt.UTC)
        actions.append(Action(
            plan_id=plan_id, title=title, description="Agreed at the review.", lead_entity_id=lead,
            owner=rng.choice(owners[lead]), deadline=deadline, status=status, restricted=rng.random() < 0.1,
            completed_at=min(done_at, now) if status == ActionStatus.DONE else None,
            overdue_step=ladder_step(age) if is_open else 0,
            reminders_sent=reminder_stage(-age) if is_open and age <= 0 else 2 if age > 0 else 0,
        ))
    Action.objects.bulk_create(actions, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE followup_action a SET created_at = p.created_at
                          FROM followup_plan p WHERE p.id = a.plan_id""")
    _benchmarks_updates_events(rng, today, actions)
    tally.recount()  # written in bulk, past the signals that keep it


def _benchmarks_updates_events(rng: random.Random, today: dt.date, actions: list[Action]) -> None:
    benchmarks, updates, events = [], [], []
    for a in actions:
        is_open = a.status in OPEN_STATUSES
        for k in range(rng.choice((1, 1, 2))):
            due = a.deadline - dt.timedelta(days=30 * k)
            met = a.status == ActionStatus.DONE or (due < today and rng.random() < 0.5)
            age = (today - due).days
            benchmarks.append(Benchmark(
                action=a, description=f"Milestone {k + 1}", due_date=due,
                met_at=(a.completed_at or timezone.now()) if met else None, evidence="Report filed." if met else "",
                reminders_sent=2 if age > 0 else 0,
                overdue_step=ladder_step(age) if not met and is_open else 0,
            ))
        if rng.random() < 0.5:
            updates.append(ActionUpdate(action=a, author=a.owner, status=a.status, text="Work continues with partners."))
        for step in range(1, a.overdue_step + 1):
            kind = {1: EnforcementEvent.Kind.OVERDUE_OWNER, 2: EnforcementEvent.Kind.OVERDUE_CHAIR,
                    3: EnforcementEvent.Kind.OVERDUE_EOSG}[step]
            events.append(EnforcementEvent(kind=kind, action=a, key=f"action:{a.pk}:{a.deadline}:overdue:{step}",
                                           detail_code="step", detail_params={"n": step}))
    Benchmark.objects.bulk_create(benchmarks, batch_size=BATCH)
    ActionUpdate.objects.bulk_create(updates, batch_size=BATCH)
    EnforcementEvent.objects.bulk_create(events, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE followup_actionupdate u SET created_at = a.created_at + interval '20 days'
                          FROM followup_action a WHERE a.id = u.action_id""")
        cursor.execute("""UPDATE followup_enforcementevent e SET created_at = a.deadline + interval '1 day'
                          FROM followup_action a WHERE a.id = e.action_id""")


def notifications(rng: random.Random, people: dict, *, count: int, days: int) -> None:
    """Inboxes over the past `days`: the people the bench signs in as get a few thousand each, everyone
    else a share."""
    everyone = ([*people["officers"].values(), *people["chairs"].values(), *people["sag"], *people["eosg"]]
                + [u for us in people["owners"].values() for u in us])
    driven = list(people["driven"].values())
    rows = []
    for n in range(count):
        recipient = driven[n % len(driven)] if n % 10 < 2 else rng.choice(everyone)
        rows.append(Notification(recipient=recipient, code="followup.overdue", params={
            "step": "overdue_owner", "label": f"action {n}", "country": "Bench", "date": "2026-01-01", "owner": "bench",
        }, link="/followup/mine/", email_state="sent"))
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE hruf_notification SET created_at = now() - random() * %s * interval '1 day',
                          read_at = CASE WHEN random() < 0.9 THEN now() END""", [days])
        cursor.execute("UPDATE hruf_notification SET email_sent_at = created_at")


def drafts(today: dt.date, people: dict) -> None:
    """This month's scan, started by the bench officer (the scan form page opens it)."""
    country = next(c for c in people["countries"] if c.iso3 == "MLI")
    scans.scan_start(country=country, period=Period.containing(today, MONTHLY), actor=people["driven"]["officer"])
