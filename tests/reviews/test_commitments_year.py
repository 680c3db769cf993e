"""A year of decisions, simulated through the services with the clock moved forward and the sweep run
daily (hourly in production: more often changes nothing), and the goal of issue 12, item 1: every recorded
decision ends fulfilled or escalated. `pytest tests/reviews/test_commitments_year.py -s` prints the figures.

Region A reviews two countries each quarter; every kind of decision is made, and each kind is met on time,
met late and never met at least once across the year (a SAG meeting decides on the escalated cases too).
Each plan adopted is carried out (its owner reports each action done, with evidence) and closed with its
outcome; at the end no action is done without evidence and the clock's figures equal those computed here
from the warnings' timelines.
"""

import datetime as dt
import math
from collections import Counter

import pytest

from followup import services as followup
from followup.models import Action, Plan
from hruf.models import Notification
from reviews import services
from reviews.commitment_sweeps import sweep_commitments
from reviews.models import AgendaItem, Commitment, CommitmentStep, Decision
from scans.clock import clock_figures
from scans.models import EarlyWarning, WarningStep
from scans.periods import Period

from ..factories import file_scan
from .commitment_world import fulfil, publish, record

pytestmark = pytest.mark.usefixtures("matrix")
Y = 2026
# Review date of each quarter (the decision is recorded that day), and what is decided for each country.
REVIEWS = {"Q1": dt.date(Y, 3, 20), "Q2": dt.date(Y, 6, 20), "Q3": dt.date(Y, 9, 20), "Q4": dt.date(Y, 12, 10)}
DECIDE = {
    "Q1": {"a": Decision.PLAN, "b": Decision.ESCALATE},
    "Q2": {"a": Decision.ENHANCED, "b": Decision.PLAN},
    "Q3": {"a": Decision.MONITOR, "b": Decision.ESCALATE},
    "Q4": {"a": Decision.PLAN, "b": Decision.MONITOR},
}
# Days after the decision when its thing is done; None: never. (Monitoring is met by the next review.)
DONE_AFTER = {
    ("Q1", "a"): 10, ("Q1", "b"): 20,  # on time
    ("Q2", "a"): 20,  # enhanced reporting answered late
    ("Q2", "b"): None, ("Q3", "b"): None,  # a plan never adopted, an escalation no SAG takes
    ("Q4", "a"): 30,  # a plan adopted late
}
KIND_OF = {Decision.PLAN: "plan", Decision.ESCALATE: "sag", Decision.ENHANCED: "enhanced", Decision.MONITOR: "monitor"}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


class Year:
    """The year's reviews, the things done on their days, the SAG's decisions, and a sweep each night."""

    def __init__(self, region, chair, countries, eosg, owner):
        self.region, self.chair, self.countries, self.eosg, self.owner = region, chair, countries, eosg, owner
        self.todo: dict[dt.date, list] = {}
        self.sag_items: list[AgendaItem] = []
        self.sag_days: set[dt.date] = set()

    def review(self, quarter: str, day: dt.date) -> None:
        period = Period.parse(f"{Y}-{quarter}")
        for country, officer in self.countries.values():
            file_scan(country, officer, period, rating=3, evidence="e")
        meeting = services.rqr_create(actor=self.chair, region=self.region, quarter=period, date=day, chair=self.chair)
        publish(meeting, self.chair)
        for key, decision in DECIDE[quarter].items():
            item = record(meeting.items.get(country=self.countries[key][0]), self.chair, decision)
            after = DONE_AFTER.get((quarter, key))
            if after is not None:
                self.todo.setdefault(day + dt.timedelta(days=after), []).append((KIND_OF[decision], item))

    def sag_decides(self, day: dt.date) -> None:
        """The SAG decides on each case it took: enhanced reporting, which EOSG declines the next day."""
        for item in self.sag_items:
            publish(item.meeting, self.eosg)
            decided = record(AgendaItem.objects.get(pk=item.pk), self.eosg, Decision.ENHANCED)
            self.todo.setdefault(day + dt.timedelta(days=1), []).append(("enhanced", decided))
        self.sag_items.clear()

    def day(self, day: dt.date) -> None:
        quarter = next((q for q, d in REVIEWS.items() if d == day), None)
        if quarter:
            self.review(quarter, day)
        for kind, item in self.todo.pop(day, []):
            if kind in ("finish", "close"):
                self.follow_up(kind, item)
                continue
            fulfil(kind, AgendaItem.objects.get(pk=item.pk), eosg=self.eosg, owner=self.owner)
            if kind == "plan":  # its owner finishes its actions 15 days later, and EOSG closes it 5 days after
                for plan in Plan.objects.filter(source_item=item):
                    self.todo.setdefault(day + dt.timedelta(days=15), []).append(("finish", plan))
                    self.todo.setdefault(day + dt.timedelta(days=20), []).append(("close", plan))
            if kind == "sag":
                self.sag_items.append(AgendaItem.objects.get(source_item=item))
                self.sag_days.add(day + dt.timedelta(days=5))
        if day in self.sag_days:
            self.sag_decides(day)

    def follow_up(self, kind: str, plan: Plan) -> None:
        if kind == "finish":
            for action in plan.actions.all():
                followup.action_update(action=action, actor=self.owner, lock_version=action.lock_version, status="done",
                                       evidence="Team deployed; its first report is on file.")
        else:
            plan.refresh_from_db()
            followup.plan_close(plan=plan, actor=self.eosg, lock_version=plan.lock_version, helped="partly",
                                outcome="The team reported weekly and the attacks slowed.")

    def run(self, time_machine, first: dt.date, last: dt.date) -> None:
        day = first
        while day <= last:
            time_machine.move_to(_at(day), tick=False)
            self.day(day)
            time_machine.move_to(_at(day, 23), tick=False)
            sweep_commitments()
            day += dt.timedelta(days=1)


def _ending(c: Commitment) -> str:
    return "escalated" if c.is_escalated else "late" if c.is_late else "on time" if c.state == "fulfilled" else "open"


def test_a_year_of_decisions_ends_each_fulfilled_or_escalated(
    time_machine, region_a, chair_a, officer_a, officer_b, country_a, country_b, eosg, sag, owner
):
    countries = {"a": (country_a, officer_a), "b": (country_b, officer_b)}
    Year(region_a, chair_a, countries, eosg, owner).run(time_machine, dt.date(Y, 3, 1), dt.date(Y + 1, 4, 30))
    counted = Commitment.objects.exclude(state=Commitment.State.SUPERSEDED)
    figures = Counter(_ending(c) for c in counted)
    by_kind = Counter((c.kind, _ending(c)) for c in counted)
    decisions = AgendaItem.objects.exclude(decision="").count()
    print(f"\ndecisions recorded: {decisions}; commitments: {dict(figures)}")
    for key in sorted(by_kind):
        print(f"  {key[0]:>8} {key[1]:<9} {by_kind[key]}")
    ended = figures["on time"] + figures["late"] + figures["escalated"]
    print(f"fulfilled or escalated: {ended}/{decisions} = {100 * ended / decisions:.0f}%")

    # The goal: every recorded decision ends fulfilled or escalated (100%).
    assert decisions == counted.count() == ended
    assert figures["open"] == 0
    # Each kind met on time, met late and never met somewhere in the year.
    assert {(k, s) for k, s in by_kind} >= {("plan", "on time"), ("plan", "late"), ("plan", "escalated"),
                                           ("sag", "on time"), ("sag", "escalated"), ("enhanced", "late"),
                                           ("monitor", "on time"), ("monitor", "escalated")}
    # No action reached "done" without evidence: on its done update, or on each required benchmark.
    done = Action.objects.filter(status="done")
    assert done.count() == Plan.objects.count() == 2  # one action each
    for action in done:
        on_update = action.updates.filter(status="done").exclude(evidence="").exists()
        on_benchmarks = action.benchmarks.exists() and not action.benchmarks.filter(evidence_required=True, evidence="")
        assert on_update or on_benchmarks, action
    assert Plan.objects.filter(closed_at__isnull=False).exclude(outcome="").count() == 2
    # The clock's figures against the timelines, computed here from the steps themselves.
    clock = clock_figures(warnings=EarlyWarning.objects.all(), period=None, now=_at(dt.date(Y + 1, 4, 30)),
                          gap_days=30, gap_limit=50)
    print(f"warnings: {clock.warnings}; clock (nearest-rank median / 90th percentile, from raised):")
    raised = dict(EarlyWarning.objects.values_list("pk", "raised_at"))
    for stage in clock.stages:
        firsts: dict[int, dt.datetime] = {}
        for warning, at in WarningStep.objects.filter(kind=stage.stage).values_list("warning", "at"):
            firsts[warning] = min(at, firsts.get(warning, at))
        waits = sorted(at - raised[w] for w, at in firsts.items())
        by_hand = (waits[math.ceil(len(waits) / 2) - 1], waits[math.ceil(0.9 * len(waits)) - 1]) if waits else (None, None)
        assert (stage.count, stage.median, stage.p90) == (len(waits), *by_hand), stage.stage
        print(f"  {stage.stage:<18} reached {stage.count:>2}  median {stage.median}  p90 {stage.p90}")
    assert {s.stage for s in clock.stages if s.count} >= {"decided", "plan_adopted", "first_action"}

    # Each rung told once: one step per rung, and no person told twice of one rung.
    missed = CommitmentStep.objects.filter(kind="missed")
    assert missed.count() == sum(c.ladder_step for c in Commitment.objects.all())
    told = Counter((n.params["item_id"], n.params["rung"], n.recipient_id)
                   for n in Notification.objects.filter(code="reviews.commitment_missed"))
    assert told and max(told.values()) == 1
