"""The warnings ledger: which events are warnings, who must act on each and by when, and every
write to a warning (one transaction each, inside the caller's where it has one).

The rules live here once (DOMAIN.md, "Warnings, decisions and who must act"):
- an urgent alert is a warning of its own severity;
- a submitted scan is a warning when its score rose by the jump threshold or its tier rose; a
  fall never is, and a country that stays at a tier raises nothing more. While a rise warning of
  the country is still open, a further rise updates it rather than adding another;
- an amendment updates the warning of its scan, and notifies only when the warning appears,
  disappears or changes severity;
- silence, an escalation to the SAG and an alert flagged for it are warnings too (the sweeps and
  reviews raise them through this module).
Reviews and follow-up add the later steps (on an agenda, decided, plan adopted) with `step_add`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.audit import Audit, audit_record
from hruf.concurrency import compare_and_set
from hruf.models import Country, User
from hruf.notifications import notify
from hruf.recipients import chairs_or_above, country_officers, eosg_staff, officers_or_above, sag_members

from . import notices
from .models import Alert, EarlyWarning, Scan, ScanRevision, WarningStep
from .models.warnings import NOTE_LIMIT, STEP_DETAILS
from .scoring import TIER_ORDER, Tier

Kind = EarlyWarning.Kind
Severity = EarlyWarning.Severity
State = EarlyWarning.State
Step = WarningStep.Kind


class LedgerError(Exception):
    """A request on a warning that is refused, with a message for the person."""


# --- rules --------------------------------------------------------------------


def ack_deadline(severity: str) -> dt.timedelta:
    return dt.timedelta(hours=settings.WARNING_ACK_HOURS[severity])


@dataclass(frozen=True)
class Rise:
    score: int
    tier: str
    change: int | None  # None for a country's first scan


def rise_of(score: int, tier: str, previous_score: int | None, previous_tier: str) -> Rise | None:
    """A rise is a warning: the score up by the jump threshold, or a higher tier than last time (a
    first scan counts as a rise when it is high or above). A fall or a standstill is None."""
    if previous_score is None:
        rose = TIER_ORDER.index(Tier(tier)) >= TIER_ORDER.index(Tier.HIGH)
        return Rise(score, tier, None) if rose else None
    change = score - previous_score
    tier_rose = bool(previous_tier) and TIER_ORDER.index(Tier(tier)) > TIER_ORDER.index(Tier(previous_tier))
    if tier_rose or change >= settings.RQR_JUMP_THRESHOLD:
        return Rise(score, tier, change)
    return None


def acknowledgers(warning: EarlyWarning) -> list[User]:
    """Who is asked to acknowledge: EOSG for what headquarters answers, else the region's chairs
    (EOSG where it has none), and EOSG too for an urgent alert."""
    if warning.answered_by_headquarters:
        return eosg_staff()
    people = chairs_or_above(warning.country.region_id)
    if warning.kind == Kind.ALERT:
        people += eosg_staff()
    return people


def link_of(warning: EarlyWarning) -> str:
    return reverse("scans:warning_detail", args=[warning.pk])


# --- steps ------------------------------------------------------------------


def step_add(
    warning: EarlyWarning, kind: str, *, key: str, actor: User | None, at: dt.datetime | None = None,
    note: str = "", detail: str = "", params: dict | None = None,
) -> bool:
    """Record one step of the timeline under its unique key; False if it was recorded already.
    `detail` is a code of STEP_DETAILS that `params` are shown with."""
    if detail and detail not in STEP_DETAILS.entries:
        raise ValueError(f"unknown warning step detail {detail!r}")
    try:
        with transaction.atomic():
            WarningStep.objects.create(
                warning=warning, kind=kind, key=key, actor=actor, at=at or timezone.now(), note=note,
                detail_code=detail, params=params or {},
            )
    except IntegrityError:
        return False
    return True


def _raise(
    *, country: Country, kind: str, severity: str, actor: User | None, now: dt.datetime, params: dict,
    source: dict, key: str, detail: str, note: str = "",
) -> EarlyWarning | None:
    """Create the warning and its first step; None if its source already has one."""
    try:
        with transaction.atomic():
            warning = EarlyWarning.objects.create(
                country=country, kind=kind, severity=severity, params=params, raised_at=now,
                act_by=now + ack_deadline(severity), **source,
            )
    except IntegrityError:
        return None
    # No audit event: the warning follows from a write that is audited (the alert, the scan), or
    # the system raised it; its timeline, written once per step, is its record.
    step_add(warning, Step.RAISED, key=f"{key}:raised", actor=actor, at=now, note=note, detail=detail, params=params)
    return warning


# --- raising ----------------------------------------------------------------


def warning_for_alert(*, alert: Alert, actor: User) -> EarlyWarning | None:
    """An urgent alert is a warning of its severity; its notice goes out with it, at once when it
    is imminent or severe (never held for a digest)."""
    now = alert.raised_at or timezone.now()
    params = {"title": alert.title, "location": alert.location, "severity": alert.severity}
    warning = _raise(country=alert.country, kind=Kind.ALERT, severity=alert.severity, actor=actor, now=now,
                     params=params, source={"alert": alert}, key=f"alert:{alert.pk}", detail="alert")
    if warning is not None:
        notify(
            recipients=acknowledgers(warning), code=notices.ALERT_RAISED,
            params={"country": str(alert.country), "title": alert.title, "severity": alert.severity,
                    "location": alert.location, "user": str(actor)},
            link=reverse("scans:alert_detail", args=[alert.pk]),
            hold_for_digest=alert.severity == Severity.SERIOUS,
        )
    return warning


def _previous(revision: ScanRevision) -> tuple[int | None, str]:
    scan = revision.scan
    row = (
        Scan.objects.submitted()
        .filter(country_id=scan.country_id, period_start__lt=scan.period_start)
        .order_by("-period_start")
        .values_list("submitted_revision__score", "submitted_revision__tier")
        .first()
    )
    return (row[0], row[1] or "") if row else (None, "")


def warning_for_submission(*, revision: ScanRevision, actor: User) -> EarlyWarning | None:
    """Called by scan_submit once the revision is scored: raise, update or withdraw the scan's
    rise warning, and note the scan on a silence warning of its period."""
    scan = revision.scan
    now = revision.submitted_at or timezone.now()
    silent = EarlyWarning.objects.filter(kind=Kind.SILENCE, country_id=scan.country_id, period=scan.period).first()
    if silent is not None:
        step_add(silent, Step.SCAN_RECEIVED, key=f"silence:{silent.pk}:received", actor=actor, at=now,
                 detail="period", params={"period": scan.period, "scan_id": scan.pk})
    previous_score, previous_tier = _previous(revision)
    rise = rise_of(revision.score or 0, revision.tier, previous_score, previous_tier)
    params = {"period": scan.period, "scan_id": scan.pk}
    if rise is not None:
        params.update(score=rise.score, tier=rise.tier, change=rise.change)
    existing = EarlyWarning.objects.filter(kind=Kind.RISK_RISE, scan=scan).first()
    if existing is not None:
        return _amend(existing, revision, rise, params, actor, now)
    if rise is None:
        return None
    standing = EarlyWarning.objects.open().filter(kind=Kind.RISK_RISE, country_id=scan.country_id).first()
    if standing is not None:
        # One standing warning while the first is unanswered: it now points at the latest scan.
        EarlyWarning.objects.filter(pk=standing.pk).update(scan=scan, revision=revision, params=params)
        step_add(standing, Step.UPDATED, key=f"rise:{standing.pk}:scan:{scan.pk}", actor=actor, at=now,
                 detail="rise", params=params)
        standing.refresh_from_db()
        _notify_rise(standing, actor)
        return standing
    warning = _raise(country=scan.country, kind=Kind.RISK_RISE, severity=Severity.ELEVATED, actor=actor, now=now,
                     params=params, source={"scan": scan, "revision": revision}, key=f"rise:scan:{scan.pk}",
                     detail="rise")
    if warning is not None:
        _notify_rise(warning, actor)
    return warning


def _amend(warning: EarlyWarning, revision: ScanRevision, rise: Rise | None, params: dict, actor: User,
           now: dt.datetime) -> EarlyWarning:
    """An amendment keeps the warning and says nothing unless the rise is gone (closed, told)."""
    key = f"rise:{warning.pk}:revision:{revision.pk}"
    if rise is None and warning.state != State.CLOSED:
        EarlyWarning.objects.filter(pk=warning.pk).update(state=State.CLOSED, closed_at=now, revision=revision)
        step_add(warning, Step.CLOSED, key=key, actor=actor, at=now, detail="withdrawn", params=params)
        warning.refresh_from_db()
        notify(recipients=chairs_or_above(warning.country.region_id), code=notices.WARNING_WITHDRAWN,
               params={"country": str(warning.country), "period": params["period"]}, link=link_of(warning))
        return warning
    if rise is not None:
        EarlyWarning.objects.filter(pk=warning.pk).update(revision=revision, params=params)
        step_add(warning, Step.UPDATED, key=key, actor=actor, at=now, detail="rise", params=params)
        warning.refresh_from_db()
    return warning


def _notify_rise(warning: EarlyWarning, actor: User | None) -> None:
    p = warning.params
    recipients = chairs_or_above(warning.country.region_id)
    if p["tier"] == Tier.VERY_HIGH:
        recipients += sag_members()
    notify(
        recipients=recipients, code=notices.RISK_ROSE,
        params={"country": str(warning.country), "score": p["score"], "change": p["change"], "tier": p["tier"],
                "period": p["period"], "scan_id": p["scan_id"]},
        link=reverse("scans:scan_detail", args=[p["scan_id"]]),
    )


def warning_for_silence(*, country: Country, period: str, tier: str, now: dt.datetime) -> EarlyWarning | None:
    """A country that should report and has not: raised by the silence sweep, told to its chairs
    and its officers; None if this period's silence is already a warning."""
    params = {"period": period, "tier": tier}
    # One transaction: a warning without its notice would never be sent (the next sweep finds it raised).
    with transaction.atomic():
        warning = _raise(country=country, kind=Kind.SILENCE, severity=Severity.ELEVATED, actor=None, now=now,
                         params=params, source={"period": period}, key=f"silence:{country.pk}:{period}",
                         detail="period")
        if warning is not None:
            notify(recipients=[*acknowledgers(warning), *country_officers(country)], code=notices.WARNING_SILENCE,
                   params={"country": str(country), "period": period}, link=link_of(warning))
    return warning


def warning_for_escalation(
    *, country: Country, actor: User, item_id: int, reason: str, detail: str, params: dict
) -> EarlyWarning | None:
    """A case escalated to the SAG by agenda item `item_id`; reviews tells the SAG and EOSG, points the
    item here, and names the meeting with its own step detail code (`detail`, `params`)."""
    return _raise(country=country, kind=Kind.ESCALATION, severity=Severity.SERIOUS, actor=actor, now=timezone.now(),
                  params=params, source={}, key=f"escalation:item:{item_id}", detail=detail, note=reason)


def warning_for_sag_flag(*, alert: Alert, actor: User, reason: str) -> EarlyWarning | None:
    """An alert flagged for the SAG: headquarters answers it, at the alert's severity."""
    now = alert.sag_flagged_at or timezone.now()
    return _raise(country=alert.country, kind=Kind.SAG_FLAG, severity=alert.severity, actor=actor, now=now,
                  params={"title": alert.title, "severity": alert.severity}, source={"alert": alert},
                  key=f"sag_flag:{alert.pk}", detail="alert", note=reason)


# --- acknowledging ------------------------------------------------------------


def warning_acknowledge(*, warning: EarlyWarning, actor: User, note: str) -> EarlyWarning:
    """The first acknowledgement stands; a second is refused with who acknowledged and when."""
    note = note.strip()
    if not note:
        raise LedgerError(_("Say in a few words what will be done."))
    if len(note) > NOTE_LIMIT:
        raise LedgerError(_("Keep the note to %(n)s characters.") % {"n": NOTE_LIMIT})
    now = timezone.now()
    with transaction.atomic():
        won = compare_and_set(
            EarlyWarning, pk=warning.pk, expected={"acknowledged_at__isnull": True, "state": State.RAISED},
            new={"acknowledged_at": now, "acknowledged_by": actor, "acknowledgement": note},
        )
        if not won:
            warning.refresh_from_db()
            if not warning.is_acknowledged:
                raise LedgerError(_("This warning no longer waits for acknowledgement: %(state)s.")
                                  % {"state": warning.get_state_display()})
            raise LedgerError(
                _("Already acknowledged by %(user)s on %(date)s: %(note)s")
                % {"user": warning.acknowledged_by, "date": timezone.localtime(warning.acknowledged_at).strftime("%Y-%m-%d %H:%M"),
                   "note": warning.acknowledgement}
            )
        # Now waiting for an agenda: the next deadline is the review's.
        EarlyWarning.objects.filter(pk=warning.pk).update(
            state=State.ACKNOWLEDGED, act_by=now + dt.timedelta(days=settings.WARNING_AGENDA_DAYS)
        )
        step_add(warning, Step.ACKNOWLEDGED, key=f"warning:{warning.pk}:acknowledged", actor=actor, at=now, note=note)
        audit_record(actor=actor, action=Audit.UPDATE, obj=warning, detail={"step": "acknowledged"})
        warning.refresh_from_db()
        _tell_the_field(warning, actor, note)
    return warning


def _tell_the_field(warning: EarlyWarning, actor: User, note: str) -> None:
    """The officers of the country (and an alert's author) hear that someone acts on it."""
    if warning.answered_by_headquarters:
        return
    recipients = country_officers(warning.country)
    if warning.alert is not None:
        recipients.append(warning.alert.raised_by)
    notify(recipients=recipients, code=notices.WARNING_ACKNOWLEDGED,
           params={"country": str(warning.country), "kind": warning.kind, "user": str(actor), "note": note},
           link=link_of(warning))


# --- later steps, from the layers above -------------------------------------------


def warning_advance(
    *, warning: EarlyWarning, step: str, key: str, actor: User | None, state: str | None = None,
    act_by: dt.datetime | None = None, note: str = "", detail: str = "", params: dict | None = None,
) -> bool:
    """Record a later step (on an agenda, deferred, decided, plan adopted ...) and move the warning to
    `state` with its next deadline; False, and nothing changed, if the step was recorded already."""
    now = timezone.now()
    if not step_add(warning, step, key=key, actor=actor, at=now, note=note, detail=detail, params=params):
        return False
    changes: dict = {}
    if state is not None:
        changes["state"] = state
        if state == State.CLOSED and warning.state != State.CLOSED:
            changes["closed_at"] = now
            step_add(warning, Step.CLOSED, key=f"{key}:closed", actor=actor, at=now)
    if act_by is not None:
        changes["act_by"] = act_by
    if changes:
        EarlyWarning.objects.filter(pk=warning.pk).update(**changes)
        for name, value in changes.items():
            setattr(warning, name, value)
    return True


def warning_defer_acknowledges(*, warning: EarlyWarning, actor: User, reason: str) -> None:
    """Deferring an unacknowledged warning with a reason is the chair's answer to it: it counts as
    the acknowledgement (the ladder stops), and the warning waits for the next review."""
    now = timezone.now()
    compare_and_set(
        EarlyWarning, pk=warning.pk, expected={"acknowledged_at__isnull": True},
        new={"acknowledged_at": now, "acknowledged_by": actor, "acknowledgement": reason[:NOTE_LIMIT]},
    )
    EarlyWarning.objects.filter(pk=warning.pk).update(
        state=State.ACKNOWLEDGED, act_by=now + dt.timedelta(days=settings.WARNING_AGENDA_DAYS)
    )
    warning.refresh_from_db()


def tell_country(*, country: Country, code: str, params: dict, link: str) -> None:
    """News back to the field: the country's officers (its region's chairs, or EOSG, where it has none)."""
    notify(recipients=officers_or_above(country), code=code, params=params, link=link)
