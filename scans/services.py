"""Every write to scans and alerts goes through these functions (one transaction each)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hruf.audit import Audit, audit_changes, audit_record
from hruf.concurrency import StaleEdit as StaleEdit  # StaleEdit re-exported for the views and the API
from hruf.concurrency import bump
from hruf.models import Country, User

from .ledger import warning_for_alert, warning_for_submission
from .models import Alert, CaseIndicator, MatrixVersion, Rating, Scan, ScanRevision
from .periods import MONTHLY, Period, is_period_of, kind_for
from .scoring import score_ratings
from .selectors import rating_inputs

EVIDENCE_REQUIRED_FROM = Rating.Level.SERIOUS


class ScanError(Exception):
    """A request the scan workflow refuses, with a message for the person."""


class ScanExists(ScanError):
    def __init__(self, scan: Scan):
        super().__init__(_("A scan of %(country)s for %(period)s already exists.") % {"country": scan.country, "period": scan.period})
        self.scan = scan


class IndicatorsAdded(ScanError):
    def __init__(self):
        super().__init__(
            _("A case-specific indicator was added while you worked. Your entries are saved; "
              "rate the new indicator, then submit.")
        )


class ScanIncomplete(ScanError):
    """Submission refused; `rating_errors` maps rating ids to {field: message}."""

    def __init__(self, rating_errors: dict[int, dict[str, str]], form_errors: dict[str, str]):
        super().__init__(_("The scan cannot be submitted yet: please correct the fields marked below."))
        self.rating_errors = rating_errors
        self.form_errors = form_errors


@dataclass(frozen=True)
class RatingData:
    rating: int | None = None
    trend: str = ""
    evidence: str = ""
    confidence: str = ""
    restricted: bool = False
    # The officer says carried evidence still holds as it stands (it then stops showing "from <period>").
    evidence_confirmed: bool = False


RATING_FIELDS = ("rating", "trend", "evidence", "confidence", "restricted")


def scan_start(*, country: Country, period: Period, actor: User, today: dt.date | None = None) -> Scan:
    """Open the scan of a period, pre-filled with the country's last submitted ratings."""
    today = today or timezone.localdate()
    if period.start > today:
        raise ScanError(_("%(period)s has not started yet: a scan cannot be filed for a future period.") % {"period": period})
    if not is_period_of(country, period, today):
        kind = kind_for(country, today)
        if period.kind == kind == MONTHLY and country.monthly_from is not None:
            raise ScanError(
                _("%(country)s reports monthly from %(date)s; %(period)s began before that.")
                % {"country": country, "date": date_format(country.monthly_from, "j F Y"), "period": period}
            )
        raise ScanError(
            _("%(country)s reports %(kind)s; %(period)s is not one of its periods.")
            % {"country": country, "kind": Scan.PeriodKind(kind).label.lower(), "period": period}
        )
    version = MatrixVersion.objects.current()
    if version is None:
        raise ScanError(_("No indicator matrix has been published yet; ask an administrator."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                scan = Scan.objects.create(
                    country=country, period=period.code, period_kind=period.kind, period_start=period.start,
                    created_by=actor,
                )
        except IntegrityError:
            raise ScanExists(Scan.objects.select_related("country").get(country=country, period=period.code)) from None
        previous = (
            ScanRevision.objects.filter(pk__in=Scan.objects.for_country(country).submitted().values("submitted_revision"))
            .order_by("-scan__period_start")
            .first()
        )
        revision = ScanRevision.objects.create(scan=scan, number=1, matrix_version=version, saved_by=actor)
        _create_ratings(revision, country, previous)
        audit_record(actor=actor, action=Audit.CREATE, obj=scan, detail={"step": "started", "revision": 1},
                     changes=audit_changes(None, {"country": country, "period": period.code}))
    return scan


def _create_ratings(revision: ScanRevision, country: Country, source: ScanRevision | None) -> None:
    carried = {}
    if source is not None:
        carried = {r.key: r for r in source.ratings.select_related("indicator", "revision__scan")}
    rows = []
    for indicator in revision.matrix_version.indicators.all():
        rows.append(_carry(Rating(revision=revision, indicator=indicator), carried.get(indicator.code)))
    for case in CaseIndicator.objects.filter(country=country).active():
        rows.append(_carry(Rating(revision=revision, case_indicator=case), carried.get(case.key)))
    Rating.objects.bulk_create(rows)


def _carry(rating: Rating, old: Rating | None) -> Rating:
    if old is not None:
        for name in RATING_FIELDS:
            setattr(rating, name, getattr(old, name))
        # The trend compares with the scan being carried over: unchanged until the officer says otherwise.
        rating.trend = "stable" if old.rating is not None else ""
        if old.evidence_retired_at is not None:  # its "[withheld ...]" must not pass for evidence
            rating.evidence = ""
        elif old.evidence.strip():
            rating.evidence_from = old.evidence_from or old.revision.scan.period
    return rating


def scan_amend(*, scan: Scan, actor: User) -> ScanRevision:
    """Open an amendment of a submitted scan: a new draft revision copying the submitted one."""
    if not scan.is_submitted:
        raise ScanError(_("Only a submitted scan can be amended; edit the draft instead."))
    with transaction.atomic():
        existing = scan.revisions.drafts().first()
        if existing is not None:
            return existing
        source = scan.submitted_revision
        if source is None:  # is_submitted said otherwise: refuse rather than copy nothing
            raise ScanError(_("Only a submitted scan can be amended; edit the draft instead."))
        number = (scan.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                revision = ScanRevision.objects.create(
                    scan=scan,
                    number=number,
                    matrix_version=source.matrix_version,
                    narrative=source.narrative,
                    language=source.language,
                    saved_by=actor,
                )
        except IntegrityError:  # a concurrent request opened it first
            return scan.revisions.drafts().get()
        Rating.objects.bulk_create(
            Rating(
                revision=revision,
                indicator_id=r.indicator_id,
                case_indicator_id=r.case_indicator_id,
                evidence_from=r.evidence_from,
                **{name: getattr(r, name) for name in RATING_FIELDS},
            )
            for r in source.ratings.all()
        )
        audit_record(actor=actor, action=Audit.UPDATE, obj=scan, detail={"step": "amendment_opened", "revision": number})
    return revision


def scan_save_draft(
    *, revision: ScanRevision, actor: User, lock_version: int, ratings: dict[int, RatingData], narrative: str,
    amendment_reason: str = "", language: str = "",
) -> ScanRevision:
    with transaction.atomic():
        changes = _write(revision, actor, lock_version, ratings, narrative, amendment_reason, language)
        audit_record(actor=actor, action=Audit.UPDATE, obj=revision.scan, changes=changes,
                     detail={"step": "draft_saved", "revision": revision.number})
    return revision


def scan_submit(
    *, revision: ScanRevision, actor: User, lock_version: int, ratings: dict[int, RatingData], narrative: str,
    amendment_reason: str = "", language: str = "",
) -> ScanRevision:
    """Validate and submit; an incomplete scan is refused with every problem at once."""
    if set(revision.ratings.values_list("pk", flat=True)) - set(ratings):
        scan_save_draft(revision=revision, actor=actor, lock_version=lock_version, ratings=ratings,
                        narrative=narrative, amendment_reason=amendment_reason, language=language)
        raise IndicatorsAdded()
    rating_errors: dict[int, dict[str, str]] = {}
    for pk, data in ratings.items():
        if data.rating is None:
            rating_errors.setdefault(pk, {})["rating"] = _("Rate this indicator.")
        elif data.rating >= EVIDENCE_REQUIRED_FROM and not data.evidence.strip():
            rating_errors.setdefault(pk, {})["evidence"] = _("Evidence is required for ratings 2 (serious) and 3 (severe).")
    form_errors = {}
    if revision.is_amendment and not amendment_reason.strip():
        form_errors["amendment_reason"] = _("Say why the submitted scan is being amended.")
    if rating_errors or form_errors:
        raise ScanIncomplete(rating_errors, form_errors)

    with transaction.atomic():
        changes = _write(revision, actor, lock_version, ratings, narrative, amendment_reason, language)
        result = score_ratings(rating_inputs(revision.ratings.select_related("indicator", "case_indicator")))
        now = timezone.now()
        revision.status = ScanRevision.Status.SUBMITTED
        revision.submitted_at = now
        revision.score, revision.tier, revision.worsening = result.score, result.tier, result.worsening
        revision.save(update_fields=["status", "submitted_at", "score", "tier", "worsening", "saved_at"])
        Scan.objects.filter(pk=revision.scan_id).update(submitted_revision=revision)
        revision.scan.submitted_revision = revision
        changes.update(audit_changes({"status": "draft"}, revision, fields=["status", "score", "tier"]))
        audit_record(actor=actor, action=Audit.UPDATE, obj=revision.scan, changes=changes,
                     detail={"step": "submitted", "revision": revision.number})
        warning_for_submission(revision=revision, actor=actor)
    return revision


def _write(
    revision: ScanRevision, user: User, lock_version: int, ratings: dict[int, RatingData], narrative: str,
    amendment_reason: str, language: str,
) -> dict:
    """Write the form into the draft; returns what changed, for the audit trail."""
    changes = audit_changes(revision, {"narrative": narrative, "amendment_reason": amendment_reason, "language": language})
    # Compare-and-set on the lock version: only the holder of the latest form may write,
    # and never to a revision that has been submitted meanwhile.
    bump(
        revision, lock_version=lock_version, expected={"status": ScanRevision.Status.DRAFT},
        message=_("This scan was saved elsewhere since you opened it (another tab, or the form was sent twice). "
                  "Your changes were not saved: reload the scan to see the latest version."),
        narrative=narrative, amendment_reason=amendment_reason, language=language, saved_by=user, saved_at=timezone.now(),
    )
    # The form may lack a row added since it was opened (a new case-specific indicator);
    # rows it has must all belong to this revision.
    existing = {r.pk: r for r in revision.ratings.select_related("indicator").filter(pk__in=list(ratings))}
    if set(ratings) != set(existing):
        raise ScanError(_("The form does not match this scan; reload it and try again."))
    for pk, data in ratings.items():
        row = existing[pk]
        changes.update(_rating_changes(row, data))
        if row.evidence_from and (data.evidence_confirmed or data.evidence != row.evidence):
            changes[f"{row.key}.evidence_from"] = [row.evidence_from, ""]
            row.evidence_from = ""
        for name in RATING_FIELDS:
            setattr(row, name, getattr(data, name))
    Rating.objects.bulk_update(existing.values(), [*RATING_FIELDS, "evidence_from"])
    return changes


def _rating_changes(row: Rating, data: RatingData) -> dict:
    # Evidence is named as changed, never copied into the trail (hruf/audit.py).
    after = {name: getattr(data, name) for name in RATING_FIELDS}
    return {f"{row.key}.{name}": pair for name, pair in audit_changes(row, after, fields=RATING_FIELDS).items()}


def case_indicator_add(
    *, country: Country, actor: User, name: str, question: str = "", guidance: str = "", language: str = "",
) -> CaseIndicator:
    """Add an indicator to one country; open drafts get a row for it at once."""
    with transaction.atomic():
        case = CaseIndicator.objects.create(country=country, name=name, question=question, guidance=guidance,
                                            language=language, created_by=actor)
        drafts = ScanRevision.objects.drafts().filter(scan__country=country)
        Rating.objects.bulk_create(Rating(revision=d, case_indicator=case) for d in drafts)
        audit_record(actor=actor, action=Audit.CREATE, obj=case,
                     changes=audit_changes(None, case, fields=["name", "question", "guidance"]))
    return case


class AlertAlreadySent(ScanError):
    """The same sending of the alert form arrived again: the alert exists, nothing new was raised."""

    def __init__(self, alert: Alert):
        super().__init__(_("This urgent alert was already sent; it was not sent twice."))
        self.alert = alert


def alert_raise(
    *, country: Country, actor: User, title: str, location: str, severity: str, description: str,
    evidence: str = "", evidence_restricted: bool = True, submission_key: uuid.UUID | None = None, language: str = "",
) -> Alert:
    """File an urgent alert: a warning in the ledger, told to the region's chairs and EOSG in the
    same transaction. A submission key already used by this officer answers AlreadySent."""
    if submission_key is not None:
        sent = Alert.objects.filter(submission_key=submission_key, raised_by=actor).first()
        if sent is not None:
            raise AlertAlreadySent(sent)
    try:
        return _alert_create(country=country, actor=actor, title=title, location=location, severity=severity,
                             description=description, evidence=evidence, evidence_restricted=evidence_restricted,
                             submission_key=submission_key, language=language)
    except IntegrityError:  # the same key, sent at the same moment: the other request made it
        sent = Alert.objects.filter(submission_key=submission_key, raised_by=actor).first()
        if submission_key is None or sent is None:
            raise
        raise AlertAlreadySent(sent) from None


def _alert_create(*, country: Country, actor: User, submission_key: uuid.UUID | None, **fields) -> Alert:
    with transaction.atomic():
        alert = Alert.objects.create(country=country, raised_by=actor, submission_key=submission_key, **fields)
        evidence_restricted = fields["evidence_restricted"]
        audit_record(actor=actor, action=Audit.CREATE, obj=alert, changes=audit_changes(
            None, alert, fields=["title", "location", "severity", "description", "evidence", "evidence_restricted"],
            redact=("evidence",) if evidence_restricted else ()))
        warning_for_alert(alert=alert, actor=actor)
    return alert
