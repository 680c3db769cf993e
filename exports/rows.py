"""One row generator per kind of export, shared by the streamed CSV, the XLSX file and the job.

Each dataset is one query (values(), read in chunks by .iterator()), so an export of a million rows
costs the same number of queries as one of ten, and no row costs a query of its own.

Scans come out one row per scan and indicator ("long" format): every rating keeps its trend,
confidence and evidence beside it, case-specific indicators and matrix versions need no extra columns,
and an analyst gets a scan-by-indicator grid from it with one pivot table. The scan's own columns
(country, period, score, tier) repeat on each of its rows so any row can be filtered on its own.

Restricted evidence goes in only when the user asked for it and may see it for that row's country;
otherwise the cell is empty (the "restricted evidence" column still says yes, as the pages say
"restricted evidence withheld").
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from followup.models import ActionStatus, Benchmark
from followup.models.plans import overdue_days
from reviews.models import Decision, Meeting
from scans.models import Alert, Confidence, EvidenceFile, Scan, Trend
from scans.scoring import Tier
from scans.selectors import EvidenceReader

from . import selectors
from .clock_rows import clock_dataset, gap_dataset
from .datasets import Dataset
from .datasets import labels as _labels
from .models import Kind


def _person(values: dict, prefix: str) -> str:
    first, last = values[prefix + "__first_name"] or "", values[prefix + "__last_name"] or ""
    return f"{first} {last}".strip() or values[prefix + "__username"] or ""


def _person_fields(prefix: str) -> list[str]:
    return [f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username"]


def _yes_no() -> tuple[str, str]:
    return _("yes"), _("no")


def _files_of(files) -> dict[int, str]:
    """The evidence files of the exported rows by parent id, "name (sha256 digest)" each: their names
    and digests, never their content. One query (files are few beside the rows they hang on)."""
    listed: dict[int, list[str]] = {}
    for parent, name, digest in files.order_by("uploaded_at", "pk"):
        listed.setdefault(parent, []).append(f"{name} (sha256 {digest})")
    return {parent: "; ".join(names) for parent, names in listed.items()}


def scan_dataset(user, filters: selectors.Filters, include_restricted: bool) -> Dataset:
    reader = EvidenceReader(user, asked=include_restricted)
    yes, no = _yes_no()
    tiers, trends, confidences = _labels(Tier), _labels(Trend), _labels(Confidence)
    kinds = _labels(Scan.PeriodKind)
    s = "revision__scan__"
    qs = (
        selectors.ratings_for_export(user, filters)
        .values(
            f"{s}id", f"{s}country_id", f"{s}country__region_id", f"{s}country__name", f"{s}country__iso3",
            f"{s}country__region__name", f"{s}period", f"{s}period_kind", "revision__number",
            "revision__submitted_at", "revision__score", "revision__tier", "indicator__code", "indicator__name",
            "id", "case_indicator_id", "case_indicator__name", "rating", "trend", "confidence", "evidence",
            "restricted",
        )
        .order_by(
            f"{s}country__name", f"{s}period_start", F("indicator__position").asc(nulls_last=True),
            "case_indicator_id", "id",
        )
    )
    files = _files_of(EvidenceFile.objects.filter(rating__in=qs.values("pk")).values_list("rating_id", "name", "sha256"))

    def to_row(v: dict) -> list:
        case = v["case_indicator_id"] is not None
        shown = reader.shows(
            restricted=v["restricted"], country_id=v[f"{s}country_id"], region_id=v[f"{s}country__region_id"]
        )
        return [
            v[f"{s}id"], v[f"{s}country__name"], v[f"{s}country__iso3"], v[f"{s}country__region__name"],
            v[f"{s}period"], kinds.get(v[f"{s}period_kind"], ""), v["revision__number"],
            v["revision__submitted_at"], v["revision__score"], tiers.get(v["revision__tier"], ""),
            f"case:{v['case_indicator_id']}" if case else v["indicator__code"],
            v["case_indicator__name"] if case else v["indicator__name"], yes if case else no,
            v["rating"], trends.get(v["trend"], ""), confidences.get(v["confidence"], ""),
            v["evidence"] if shown else "", yes if v["restricted"] else no, files.get(v["id"], "") if shown else "",
        ]

    headers = [
        _("Scan"), _("Country"), _("ISO3"), _("Region"), _("Period"), _("Reporting"), _("Revision"),
        _("Submitted at (UTC)"), _("Score"), _("Tier"), _("Indicator code"), _("Indicator"),
        _("Case-specific"), _("Rating (0-3)"), _("Trend"), _("Confidence"), _("Evidence"), _("Restricted evidence"),
        _("Evidence files"),
    ]
    return Dataset(str(Kind.SCANS.label), headers, qs, to_row)


def alert_dataset(user, filters: selectors.Filters, include_restricted: bool) -> Dataset:
    reader = EvidenceReader(user, asked=include_restricted)
    yes, no = _yes_no()
    severities = _labels(Alert.Severity)
    qs = (
        selectors.alerts_for_export(user, filters)
        .values(
            "id", "raised_at", "country_id", "country__region_id", "country__name", "country__iso3",
            "country__region__name", "severity", "title", "location", "description", "evidence",
            "evidence_restricted", *_person_fields("raised_by"), "sag_flagged_at", "sag_flag_reason",
        )
        .order_by("raised_at", "id")
    )
    files = _files_of(EvidenceFile.objects.filter(alert__in=qs.values("pk")).values_list("alert_id", "name", "sha256"))

    def to_row(v: dict) -> list:
        shown = reader.shows(
            restricted=v["evidence_restricted"], country_id=v["country_id"], region_id=v["country__region_id"]
        )
        return [
            v["id"], v["raised_at"], v["country__name"], v["country__iso3"], v["country__region__name"],
            severities.get(v["severity"], ""), v["title"], v["location"], v["description"],
            v["evidence"] if shown else "", yes if v["evidence_restricted"] else no, _person(v, "raised_by"),
            v["sag_flagged_at"], v["sag_flag_reason"], files.get(v["id"], "") if shown else "",
        ]

    headers = [
        _("Alert"), _("Raised at (UTC)"), _("Country"), _("ISO3"), _("Region"), _("Severity"), _("What happened"),
        _("Where"), _("Details"), _("Evidence and sources"), _("Restricted evidence"), _("Raised by"),
        _("Flagged for the SAG at (UTC)"), _("Why the SAG should take it"), _("Evidence files"),
    ]
    return Dataset(str(Kind.ALERTS.label), headers, qs, to_row)


def _benchmark_count(**conditions) -> Coalesce:
    counted = (
        Benchmark.objects.filter(action=OuterRef("pk"), **conditions).order_by().values("action")
        .annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def action_dataset(user, filters: selectors.Filters, include_restricted: bool, today: dt.date) -> Dataset:
    yes, no = _yes_no()
    statuses = _labels(ActionStatus)
    qs = (
        selectors.actions_for_export(user, filters)
        .with_next_due()
        .annotate(
            benchmarks_total=_benchmark_count(),
            benchmarks_met=_benchmark_count(met_at__isnull=False),
        )
        .values(
            "id", "plan_id", "plan__title", "plan__country__name", "plan__country__iso3",
            "plan__country__region__name", "title", "lead_entity__code", *_person_fields("owner"), "deadline",
            "status", "completed_at", "restricted", "benchmarks_total", "benchmarks_met", "next_benchmark",
        )
        .order_by("plan__country__name", "deadline", "id")
    )

    def to_row(v: dict) -> list:
        overdue = overdue_days(status=v["status"], deadline=v["deadline"], as_of=today)
        return [
            v["id"], v["plan_id"], v["plan__title"], v["plan__country__name"], v["plan__country__iso3"],
            v["plan__country__region__name"], v["title"], v["lead_entity__code"], _person(v, "owner"),
            v["deadline"], statuses.get(v["status"], ""), overdue, v["completed_at"], yes if v["restricted"] else no,
            v["benchmarks_total"], v["benchmarks_met"], v["next_benchmark"],
        ]

    headers = [
        _("Action"), _("Plan"), _("Plan title"), _("Country"), _("ISO3"), _("Region"), _("Action title"),
        _("Lead entity"), _("Owner"), _("Deadline"), _("Status"), _("Days overdue"), _("Completed at (UTC)"),
        _("Restricted"), _("Benchmarks"), _("Benchmarks met"), _("Next benchmark due"),
    ]
    return Dataset(str(Kind.ACTIONS.label), headers, qs, to_row)


def record_dataset(user, filters: selectors.Filters, include_restricted: bool) -> Dataset:
    yes, no = _yes_no()
    tiers, decisions, meeting_kinds = _labels(Tier), _labels(Decision), _labels(Meeting.Kind)
    qs = (
        selectors.records_for_export(user, filters)
        .values(
            "meeting_id", "meeting__kind", "meeting__date", "meeting__quarter", "meeting__region__name",
            "country__name", "country__iso3", "country__region__name", "snap_score", "snap_tier", "snap_change",
            "snap_missing", "agreed_tier", "agreed_tier_reason", "decision", "decision_reason", "summary",
            "dissent", "recorded_at", *_person_fields("recorded_by"), "id", "source_item_id", "source_alert_id",
        )
        .order_by("meeting__date", "meeting_id", "position", "id")
    )

    def to_row(v: dict) -> list:
        return [
            v["meeting_id"], meeting_kinds.get(v["meeting__kind"], ""), v["meeting__date"], v["meeting__quarter"],
            v["meeting__region__name"] or "", v["country__name"], v["country__iso3"], v["country__region__name"],
            v["snap_score"], tiers.get(v["snap_tier"], ""), v["snap_change"], yes if v["snap_missing"] else no,
            tiers.get(v["agreed_tier"], ""), v["agreed_tier_reason"], decisions.get(v["decision"], ""),
            v["decision_reason"], v["summary"], v["dissent"], v["recorded_at"], _person(v, "recorded_by"),
            # A SAG meeting may decide several cases of one country: the ids tell them apart.
            v["id"], v["source_item_id"], v["source_alert_id"],
        ]

    headers = [
        _("Meeting"), _("Meeting kind"), _("Meeting date"), _("Quarter"), _("Meeting region"), _("Country"),
        _("ISO3"), _("Region"), _("Computed score"), _("Computed risk level"),
        _("Change since the previous scan"), _("No scan for the quarter"), _("Agreed risk level"),
        _("Why the agreed level differs"), _("Decision"), _("Reason for the decision"),
        _("Summary of the discussion"), _("Notes of disagreement"), _("Recorded at (UTC)"), _("Recorded by"),
        _("Agenda item"), _("Escalated from agenda item"), _("Urgent alert"),
    ]
    return Dataset(str(Kind.RECORDS.label), headers, qs, to_row)


def dataset_for(kind: str, *, user, filters: selectors.Filters, include_restricted: bool, today: dt.date):
    """A Dataset, or for the clock's figures a FiguresDataset: both count() and give rows()."""
    if kind == Kind.CLOCK:
        return clock_dataset(user, filters)
    if kind == Kind.GAP:
        return gap_dataset(user, filters)
    if kind == Kind.SCANS:
        return scan_dataset(user, filters, include_restricted)
    if kind == Kind.ALERTS:
        return alert_dataset(user, filters, include_restricted)
    if kind == Kind.ACTIONS:
        return action_dataset(user, filters, include_restricted, today)
    if kind == Kind.RECORDS:
        return record_dataset(user, filters, include_restricted)
    raise ValueError(f"Unknown export kind {kind!r}")
