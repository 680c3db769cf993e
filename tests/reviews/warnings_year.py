"""A year of warnings, simulated through the services with the clock moved forward, and the figures
the ledger is judged by (issue 11). tests/reviews/test_warnings_year.py runs it and holds the goals;
`pytest tests/reviews/test_warnings_year.py -s` prints the figures.

The year: two regions, four countries (one without an officer, one that goes silent), scans every
quarter with rises, falls, a country standing at the top tier and amendments; a dozen urgent alerts
of every severity, some acknowledged at once and some by nobody; a regional review each quarter that
opens before the last scans arrive, puts countries on its agenda or defers their warnings, and
escalates one case to a SAG meeting; plans whose first action is done. Beat runs the chase every
two hours and the silence sweep daily, as hruf/celery.py would (more often than hourly changes nothing).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from followup import services as followup
from followup.models import Action
from hruf.models import Entity, Notification
from reviews import services as reviews
from reviews.models import AgendaItem, Decision, Meeting
from scans import ledger
from scans import services as scans
from scans.ledger import ack_deadline
from scans.ledger_sweeps import sweep_silence, sweep_unacknowledged
from scans.models import EarlyWarning, Scan, WarningStep
from scans.periods import Period
from scans.scoring import TIER_ORDER, Tier

from ..factories import file_scan

Kind = EarlyWarning.Kind


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


@dataclass
class World:
    region_a: object
    region_b: object
    a: object  # officer_a's country: rises, then stands at the top tier
    b: object  # officer_b's: a first scan at the top, a fall, a rise, an amendment that withdraws it
    c: object  # region B, no officer: one scan, then silence
    d: object  # region A, no officer: low risk, stops reporting (not a sign on its own)
    officer_a: object
    officer_b: object
    chair_a: object
    chair_b: object
    eosg: object
    owner: object


@dataclass
class Year:
    events: list = field(default_factory=list)

    def on(self, moment: dt.datetime, step) -> None:
        self.events.append((moment, len(self.events), step))

    def run(self, time_machine) -> None:
        for moment, _n, step in sorted(self.events, key=lambda e: (e[0], e[1])):
            time_machine.move_to(moment, tick=False)
            step()


def _amend(scan: Scan, officer, rating: int) -> None:
    revision = scans.scan_amend(scan=scan, actor=officer)
    data = {r.pk: scans.RatingData(rating=rating, trend="stable", evidence="Seen.", confidence="medium")
            for r in revision.ratings.all()}
    scans.scan_submit(revision=revision, actor=officer, lock_version=revision.lock_version, ratings=data,
                      narrative="Amended.", amendment_reason="Corrected.")


def _acknowledge_alert(title: str, who, note: str = "On it.") -> None:
    warning = EarlyWarning.objects.get(alert__title=title, kind=Kind.ALERT)
    if warning.acknowledged_at is None:
        ledger.warning_acknowledge(warning=warning, actor=who, note=note)


def _review(w: World, region, chair, quarter: Period, opened: dt.datetime, escalate: set[str]):
    """Open on `opened`, answer every open warning ten days later (the country on the agenda if its
    score is high or it has an alert, else deferred), publish, and decide five days after."""
    state: dict = {}

    def open_review():
        state["meeting"] = reviews.rqr_create(actor=chair, region=region, quarter=quarter,
                                              date=(opened + dt.timedelta(days=15)).date(), chair=chair)

    def answer_and_publish():
        meeting = Meeting.objects.get(pk=state["meeting"].pk)
        on_agenda = set(meeting.items.included().values_list("country_id", flat=True))
        for warning in EarlyWarning.objects.for_regional_review().in_region(region.pk).select_related("country"):
            if warning.country_id in on_agenda:
                continue
            if warning.kind == Kind.ALERT:
                meeting.refresh_from_db()
                reviews.agenda_add(meeting=meeting, actor=chair, country=warning.country,
                                   reason="An urgent alert since the review opened.", lock_version=meeting.lock_version)
                on_agenda.add(warning.country_id)
            else:
                reviews.warning_defer(meeting=meeting, warning=warning, actor=chair,
                                      reason="Watched by the RC office; back at the next review.")
        meeting.refresh_from_db()
        reviews.agenda_publish(meeting=meeting, actor=chair, lock_version=meeting.lock_version)

    def decide():
        meeting = Meeting.objects.get(pk=state["meeting"].pk)
        for item in meeting.items.included().select_related("country"):
            decision = Decision.ESCALATE if item.country.name in escalate else (
                Decision.PLAN if item.warnings.filter(kind=Kind.ALERT).exists() else Decision.MONITOR)
            reviews.item_record(item=item, actor=chair, lock_version=item.lock_version, summary="Discussed.",
                                agreed_tier="", agreed_tier_reason="", decision=decision,
                                decision_reason="Serious risk of atrocity crimes." if decision == Decision.ESCALATE else "",
                                dissent="")
            if decision == Decision.PLAN:
                followup.plan_create(
                    country=item.country, actor=chair, title="Prevention plan", source_item=item,
                    today=meeting.date, actions=[followup.ActionDraft(
                        title="Deploy a human rights adviser", lead_entity=Entity.objects.get(code="OHCHR"),
                        owner=w.owner, deadline=meeting.date + dt.timedelta(days=30))],
                )

    return open_review, answer_and_publish, decide


def _sag_takes_escalations(w: World):
    meeting = reviews.sag_create(actor=w.eosg, date=dt.date.today() + dt.timedelta(days=7))
    for item in AgendaItem.objects.escalated().filter(sag_items__isnull=True):
        warning = item.escalation_warning
        if warning is not None and warning.acknowledged_at is None:
            ledger.warning_acknowledge(warning=warning, actor=w.eosg, note="On the next SAG agenda.")
        meeting.refresh_from_db()
        reviews.sag_take(meeting=meeting, actor=w.eosg, lock_version=meeting.lock_version, source_item=item)
    if meeting.items.exists():
        meeting.refresh_from_db()
        reviews.agenda_publish(meeting=meeting, actor=w.eosg, lock_version=meeting.lock_version)
        for item in meeting.items.all():
            reviews.item_record(item=item, actor=w.eosg, lock_version=item.lock_version, summary="Discussed.",
                                agreed_tier="", agreed_tier_reason="", decision=Decision.MONITOR,
                                decision_reason="Envoy engaged.", dissent="")


def _first_actions_done(w: World) -> None:
    for action in Action.objects.filter(owner=w.owner, status="planned"):
        followup.action_update(action=action, actor=w.owner, lock_version=action.lock_version, status="done",
                               text="Adviser deployed.", evidence="Adviser in post")


# (when, country attribute, officer attribute, severity, title, who acknowledges, hours later or None)
ALERTS = [
    (at(1, 20, 8), "a", "officer_a", "imminent", "Militia massing near the camp", "chair_a", 1),
    (at(2, 11, 22), "b", "officer_b", "serious", "Hate speech on local radio", None, None),
    (at(3, 3, 14), "a", "officer_a", "severe", "Arrests of journalists", "chair_a", 6),
    (at(4, 9, 6), "b", "officer_b", "imminent", "Armed group at the border", "chair_a", 3),
    (at(5, 16, 23), "a", "officer_a", "imminent", "Attack on a village announced", None, None),  # nobody: the ladder
    (at(6, 5, 10), "b", "officer_b", "severe", "Curfew and killings", "chair_a", 30),  # late
    (at(7, 8, 9), "a", "officer_a", "serious", "Campaign against a minority", "chair_a", 48),
    (at(8, 19, 18), "b", "officer_b", "imminent", "Massacre reported", "chair_a", 2),
    (at(9, 4, 12), "a", "officer_a", "severe", "Opposition leader detained", "chair_a", 20),  # after the Q3 review opened
    (at(10, 14, 7), "b", "officer_b", "serious", "Displacement rising", None, None),
    (at(11, 2, 16), "a", "officer_a", "imminent", "Troops deployed to the north", "chair_a", 4.5),  # just late
    (at(12, 5, 11), "b", "officer_b", "severe", "Election violence", "chair_a", 8),  # after the Q4 review opened
]

# (when, country, officer, period, rating)
SCANS = [
    (at(1, 25), "a", "officer_a", "2026-Q1", 1), (at(1, 26), "b", "officer_b", "2026-Q1", 3),
    (at(1, 27), "c", "officer_b", "2026-Q1", 2), (at(1, 28), "d", "officer_a", "2026-Q1", 0),
    (at(4, 20), "a", "officer_a", "2026-Q2", 2), (at(4, 21), "b", "officer_b", "2026-Q2", 0),
    (at(7, 20), "a", "officer_a", "2026-Q3", 3), (at(9, 5), "b", "officer_b", "2026-Q3", 1),  # B after the review opened
    (at(10, 20), "a", "officer_a", "2026-Q4", 3), (at(12, 4), "b", "officer_b", "2026-Q4", 1),
]


def simulate(w: World, time_machine) -> None:
    year = Year()
    for moment, country, officer, severity, title, who, hours in ALERTS:
        def raise_alert(country=country, officer=officer, severity=severity, title=title):
            scans.alert_raise(country=getattr(w, country), actor=getattr(w, officer), title=title, location="North",
                              severity=severity, description="Reported by the team.")
        year.on(moment, raise_alert)
        if who is not None:
            year.on(moment + dt.timedelta(hours=hours), lambda title=title, who=who: _acknowledge_alert(title, getattr(w, who)))
    for moment, country, officer, period, rating in SCANS:
        year.on(moment, lambda c=country, o=officer, p=period, r=rating: file_scan(
            getattr(w, c), getattr(w, o), Period.parse(p), rating=r))
    # Amendments: A's top-tier Q4 scan reworded (no new warning); B's Q3 rise was a mistake (withdrawn).
    year.on(at(10, 25), lambda: _amend(Scan.objects.get(country=w.a, period="2026-Q4"), w.officer_a, 3))
    year.on(at(9, 7), lambda: _amend(Scan.objects.get(country=w.b, period="2026-Q3"), w.officer_b, 0))

    for quarter, opened in (("2026-Q1", at(3, 1)), ("2026-Q2", at(6, 1)), ("2026-Q3", at(9, 1)), ("2026-Q4", at(12, 1))):
        for region, chair in ((w.region_a, w.chair_a), (w.region_b, w.chair_b)):
            escalate = {w.a.name} if quarter == "2026-Q3" and region == w.region_a else set()
            steps = _review(w, region, chair, Period.parse(quarter), opened, escalate)
            for delay, step in zip((0, 10, 15), steps, strict=True):
                year.on(opened + dt.timedelta(days=delay, hours=1 if region == w.region_a else 2), step)
        year.on(opened + dt.timedelta(days=18), lambda: _sag_takes_escalations(w))
        year.on(opened + dt.timedelta(days=25), lambda: _first_actions_done(w))

    day = at(1, 1, 0)
    while day < at(12, 31, 23, 59):
        year.on(day, lambda moment=day: sweep_unacknowledged(now=moment))
        if day.hour == 6:
            year.on(day, lambda moment=day: sweep_silence(now=moment))
        day += dt.timedelta(hours=2)
    year.run(time_machine)


# --- the figures ------------------------------------------------------------------


@dataclass
class Figures:
    raised: dict
    acknowledged: int
    acknowledged_in_time: int
    never_acknowledged: int
    chased: dict  # ladder step -> warnings chased to it
    chase_steps_repeated: int
    escalated_to_sag: int
    answerable: int  # raised before their region's last review of the year was published
    answered: int  # on an agenda, deferred with a reason, or withdrawn by an amendment
    false_rising: int
    duplicate_notices: int
    imminent_to_ack_hours: float

    def lines(self) -> list[str]:
        share = 100 * self.answered / self.answerable if self.answerable else 100.0
        return [
            f"warnings raised by kind: {dict(sorted(self.raised.items()))} (total {sum(self.raised.values())})",
            f"acknowledged: {self.acknowledged}, of them within the deadline: {self.acknowledged_in_time}; "
            f"never acknowledged (answered by a review's deferral or decision instead): {self.never_acknowledged}",
            f"chased up the ladder: step 1 (EOSG) {self.chased.get(1, 0)}, step 2 (SAG) {self.chased.get(2, 0)}; "
            f"a step repeated: {self.chase_steps_repeated}",
            f"escalated to the SAG: {self.escalated_to_sag}",
            f"on an agenda or deferred: {self.answered} of {self.answerable} ({share:.0f}%)",
            f"false 'rising' notices: {self.false_rising}; duplicate notices: {self.duplicate_notices}",
            f"median time from an imminent alert to its acknowledgement: {self.imminent_to_ack_hours:.1f} h",
        ]


def _false_rising() -> int:
    false = 0
    for n in Notification.objects.filter(code="scans.risk_rose"):
        scan = Scan.objects.select_related("submitted_revision").get(pk=n.params["scan_id"])
        before = (Scan.objects.submitted().filter(country_id=scan.country_id, period_start__lt=scan.period_start)
                  .order_by("-period_start").select_related("submitted_revision").first())
        if before is None:
            continue
        now_rev, then = scan.submitted_revision, before.submitted_revision
        higher_tier = TIER_ORDER.index(Tier(now_rev.tier)) > TIER_ORDER.index(Tier(then.tier))
        if n.params["score"] <= then.score and not higher_tier:
            false += 1
    return false


def figures(last_publication: dict[int, dt.datetime]) -> Figures:
    warnings = list(EarlyWarning.objects.select_related("country"))
    acked = [w for w in warnings if w.acknowledged_at]
    steps = Counter(WarningStep.objects.filter(kind="chased").values_list("warning_id", "params__n"))
    answered_q = Q(kind__in=["on_agenda", "deferred"]) | Q(kind="closed", detail_code="withdrawn")
    answered_ids = set(WarningStep.objects.filter(answered_q).values_list("warning_id", flat=True))
    answerable = [w for w in warnings if w.raised_at < last_publication.get(w.country.region_id, w.raised_at)]
    # The same news to the same person about the same thing (a notice's link names the thing).
    notices = Counter(
        (n.recipient_id, n.code, n.link, json.dumps(n.params, sort_keys=True))
        for n in Notification.objects.filter(code__startswith="scans.")
    )
    imminent = [(w.acknowledged_at - w.raised_at).total_seconds() / 3600
                for w in acked if w.kind == Kind.ALERT and w.severity == "imminent"]
    return Figures(
        raised=dict(Counter(w.kind for w in warnings)),
        acknowledged=len(acked),
        acknowledged_in_time=sum(1 for w in acked if w.acknowledged_at - w.raised_at <= ack_deadline(w.severity)),
        never_acknowledged=len(warnings) - len(acked),
        chased=dict(Counter(n for _w, n in steps)),
        chase_steps_repeated=sum(1 for c in steps.values() if c > 1),
        escalated_to_sag=sum(1 for w in warnings if w.kind == Kind.ESCALATION),
        answerable=len(answerable),
        answered=sum(1 for w in answerable if w.pk in answered_ids),
        false_rising=_false_rising(),
        duplicate_notices=sum(c - 1 for c in notices.values() if c > 1),
        imminent_to_ack_hours=statistics.median(imminent) if imminent else 0.0,
    )
