"""Reads for the packs, each a fixed number of queries whatever the agenda or the month holds.

A pack is read by a whole audience (SAG members among them), so it shows only what every one of
them may read: no evidence at all, and no restricted follow-up actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.dashboard import GroupRow, OverdueRow, actions_grouped, oldest_overdue
from followup.models import Action
from hruf.models import Country
from hruf.permissions import actions_visible_to_audience
from reviews.models import AgendaItem, Meeting, without_records
from reviews.selectors import CountryActions, open_actions_by_country
from scans.clock import Clock, clock_figures
from scans.framework import LensSummary, framework_lenses
from scans.models import Alert, EarlyWarning, ScanRevision
from scans.periods import Period, current_period
from scans.risk_map import MapEntry, RiskMap, open_warning_counts, risk_map
from scans.scoring import TIER_ORDER, Tier
from scans.selectors import alerts_read_by

OVERDUE_LIMIT = 100
ALERT_LIMIT = 200
DECISION_LIMIT = 200


# --- meeting packs -------------------------------------------------------------------


def meeting_pack_items(meeting: Meeting, as_of: dt.date) -> list[AgendaItem]:
    """The agenda as the printable pack shows it (reviews' meeting_print), with each item's record,
    the RQR record of an escalated SAG case, the alert it came from and the open actions that the
    whole audience may read (reviews.selectors.open_actions_by_country). Two queries."""
    items = list(
        meeting.items.included()
        .select_related(
            "country", "snap_revision__scan", "recorded_by", "enhanced_confirmed_by", "enhanced_declined_by",
            "source_item__meeting__region", "source_item__recorded_by", "source_item__enhanced_confirmed_by",
            "source_item__enhanced_declined_by", "source_alert",
        )
        .order_by("position", "id")
    )
    # A pack is read by a whole audience (user None): no restricted text, blanked in place.
    alerts_read_by(None, [i.source_alert for i in items if i.source_alert_id])
    actions = open_actions_by_country(
        country_ids=[i.country_id for i in items], reader=None, as_of=as_of, limit=settings.PACK_OPEN_ACTIONS
    )
    for item in items:
        group = actions.get(item.country_id, CountryActions())
        item.open_actions, item.more_actions = group.shown, group.more
        item.lens = LensSummary.from_json(item.snap_framework)  # frozen at publication, like the figures
    return items


# --- the monthly briefing --------------------------------------------------------------


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def _as_of(moment: dt.datetime, field_name: str) -> Subquery:
    """The country's score as it stood at `moment`: the latest period submitted by then, in its
    latest revision submitted by then. Submission time, not the period, decides: a quarter's
    scan sent in its second month moves the score in that month."""
    return Subquery(
        ScanRevision.objects.submitted()
        .filter(scan__country=OuterRef("pk"), submitted_at__lt=moment)
        .order_by("-scan__period_start", "-number")
        .values(field_name)[:1]
    )


@dataclass(frozen=True)
class CountryMove:
    country: Country
    score: int
    tier: str
    period: str
    score_before: int | None
    revision_id: int | None = None
    lens: LensSummary | None = None  # the Framework of Analysis read of that revision (top risks only)

    @property
    def change(self) -> int | None:
        return None if self.score_before is None else self.score - self.score_before


def scores_over(month: Period, countries: QuerySet | None = None) -> list[CountryMove]:
    """Every scored country's score at the end of the month and at its start (one query)."""
    countries = Country.objects.all() if countries is None else countries
    start, end = _moment(month.start), _moment(month.next().start)
    rows = (
        countries.select_related("region")
        .annotate(
            score_end=_as_of(end, "score"),
            tier_end=_as_of(end, "tier"),
            period_end=_as_of(end, "scan__period"),
            revision_end=_as_of(end, "id"),
            score_start=_as_of(start, "score"),
        )
        .filter(score_end__isnull=False)
        .order_by("name")
    )
    return [
        CountryMove(country=c, score=c.score_end, tier=c.tier_end, period=c.period_end, score_before=c.score_start,
                    revision_id=c.revision_end)
        for c in rows
    ]


def _tier_rank(tier: str) -> int:
    return TIER_ORDER.index(Tier(tier)) if tier in TIER_ORDER else -1


def top_risks(moves: list[CountryMove], limit: int) -> list[CountryMove]:
    """The highest risks, each with its Framework of Analysis read (four queries)."""
    top = sorted(moves, key=lambda m: (-_tier_rank(m.tier), -m.score, m.country.name))[:limit]
    lenses = framework_lenses(m.revision_id for m in top if m.revision_id)
    return [replace(m, lens=LensSummary.of(lenses[m.revision_id])) if m.revision_id else m for m in top]


def biggest_movers(moves: list[CountryMove], limit: int) -> list[CountryMove]:
    moved = [m for m in moves if m.change]
    return sorted(moved, key=lambda m: (-abs(m.change or 0), -(m.change or 0), m.country.name))[:limit]


@dataclass
class CountryOverdue:
    country: Country
    rows: list[OverdueRow] = field(default_factory=list)


@dataclass
class MonthlyBriefing:
    month: Period
    as_of: dt.date  # overdue means a deadline before this day
    scored: int
    top_risks: list[CountryMove]
    movers: list[CountryMove]
    alerts: list[Alert]
    decisions: list[AgendaItem]
    overdue_total: int
    overdue_by_country: list[CountryOverdue]
    overdue_by_entity: list[GroupRow]
    # Warnings raised in the month, timed as their timelines stand now; the gap as of the month's end.
    clock: Clock
    risk_map: RiskMap
    overdue_limit: int = OVERDUE_LIMIT
    limits: dict = field(default_factory=lambda: {"alerts": ALERT_LIMIT, "decisions": DECISION_LIMIT})


def monthly_briefing(month: Period, today: dt.date | None = None) -> MonthlyBriefing:
    """The month's figures in ten queries (three of them the clock's). Follow-up is read as it stands when the briefing is made,
    overdue as of the month's last day (or today for the month still running)."""
    today = today or timezone.localdate()
    start, end = _moment(month.start), _moment(month.next().start)
    as_of = min(today, month.next().start)
    moves = scores_over(month)
    alerts = alerts_read_by(
        None,
        Alert.objects.filter(raised_at__gte=start, raised_at__lt=end).select_related("country").order_by("raised_at", "pk")[
            :ALERT_LIMIT
        ],
    ).items
    decisions = list(
        AgendaItem.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .exclude(decision="")
        .select_related("country", "meeting__region")
        .defer(*without_records(item="", meeting="meeting__"))
        .order_by("recorded_at", "pk")[:DECISION_LIMIT]
    )
    overdue = actions_visible_to_audience(Action.objects.overdue(as_of))
    by_country: dict[int, CountryOverdue] = {}
    for row in oldest_overdue(overdue, as_of, limit=OVERDUE_LIMIT):
        country = row.action.plan.country
        by_country.setdefault(country.pk, CountryOverdue(country=country)).rows.append(row)
    return MonthlyBriefing(
        month=month,
        as_of=as_of,
        scored=len(moves),
        top_risks=top_risks(moves, settings.BRIEFING_TOP_RISKS),
        movers=biggest_movers(moves, settings.BRIEFING_TOP_MOVERS),
        alerts=alerts,
        decisions=decisions,
        overdue_total=overdue.count(),
        overdue_by_country=sorted(by_country.values(), key=lambda g: g.country.name),
        overdue_by_entity=actions_grouped(overdue, as_of, by="lead_entity_id", label="lead_entity__code"),
        clock=clock_figures(
            warnings=EarlyWarning.objects.all(), period=month, now=min(timezone.now(), end),
            gap_days=settings.WARNING_GAP_DAYS, gap_limit=OVERDUE_LIMIT,
        ),
        risk_map=world_at(moves, as_of, min(timezone.now(), end)),
    )


def world_at(moves: list[CountryMove], as_of: dt.date, moment: dt.datetime) -> RiskMap:
    """Every member state as the month left it (two queries): the tier at its end, the change over
    it, the warnings open at its end, and a scan missing where the period due by then has none."""
    scored = {m.country.pk: m for m in moves}
    countries = list(Country.objects.only("iso3", "name", "enhanced_reporting", "monthly_from").order_by("name"))
    warnings = open_warning_counts([c.pk for c in countries], at=moment)
    entries = []
    last_day = as_of - dt.timedelta(days=1)  # as_of is the day after the month (or today, in it)
    for c in countries:
        move, due = scored.get(c.pk), current_period(c, last_day)
        filed = move is not None and move.period == due.code
        missing = due.due_date < as_of and not filed
        entries.append(MapEntry(
            iso3=c.iso3, name=c.local_name, tier=move.tier if move else "", change=move.change if move else None,
            open_warnings=warnings.get(c.pk, 0), scan_missing=missing,
            scan_label=str(_("Submitted") if filed else _("No scan for %(period)s") % {"period": due.code}),
        ))
    return risk_map(entries, caption=str(_("Risk by country at the end of the month")), whole_world=True,
                    dom_id="world-map")


def recent_months(today: dt.date, count: int = 12) -> list[Period]:
    """The months offered on the briefings page: this one and the `count` - 1 before it."""
    months = [Period.containing(today, "monthly")]
    while len(months) < count:
        months.append(months[-1].previous())
    return months

