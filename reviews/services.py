"""Every write to reviews: building and publishing agendas, recording outcomes, escalating."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hruf.audit import Audit, audit_changes, audit_record, audit_snapshot
from hruf.concurrency import StaleEdit as StaleEdit  # StaleEdit re-exported for the views and the API
from hruf.concurrency import bump, compare_and_set
from hruf.models import Country, Region, User
from hruf.notifications import notify
from hruf.recipients import chairs_or_above, country_officers, eosg_staff, sag_members, sag_or_above
from hruf.translated import SOURCE_LANGUAGE
from scans import ledger
from scans.framework import LensSummary, framework_lenses
from scans.models import Alert, EarlyWarning, Rating, WarningStep
from scans.models.warnings import NOTE_LIMIT
from scans.periods import Period
from scans.scoring import TIER_ORDER, score_ratings
from scans.selectors import rating_inputs

from .commitments import commitment_fulfil, commitment_make, due_of, monitoring_fulfil
from .models import DECLINE_REASON_MAX, AgendaItem, Commitment, Decision, Meeting, WarningDeferral
from .notices import ALERT_FLAGGED, DECIDED, ENHANCED_CONFIRMED, ENHANCED_DECLINED, ESCALATED, ON_AGENDA, SAG_DECISION
from .ranking import rank_countries
from .reasons import ESCALATED_BY, MONITORING_DECIDED, URGENT_ALERT
from .reasons import reason as coded_reason
from .selectors import ReviewWarning, region_risks, review_warnings, risks

Step = WarningStep.Kind
WarningState = EarlyWarning.State


class ReviewError(Exception):
    """A request the review workflow refuses, with a message for the person."""


class ReasonRequired(ReviewError):
    """A refusal for want of the form's reason: the page links its message to that field."""


class AlreadyDone(ReviewError):
    """Refused because it already exists or was already done (the API answers 409, not 400)."""


class RecordIncomplete(ReviewError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("The decision cannot be recorded yet: please correct the marked fields."))
        self.errors = errors


def _require_preparation(meeting: Meeting) -> None:
    if not meeting.in_preparation:
        raise ReviewError(_("The agenda is published and frozen; it can no longer be changed."))


# --- meetings -------------------------------------------------------------


def rqr_create(*, actor: User, region: Region, quarter: Period, date: dt.date, chair: User, entities=()) -> Meeting:
    """Open an RQR and put the countries the app proposes on its agenda, each with its reasons."""
    if quarter.kind != "quarterly":
        raise ReviewError(_("A regional review covers a quarter, such as 2026-Q3."))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                kind=Meeting.Kind.RQR, region=region, quarter=quarter.code, date=date, chair=chair
            )
            meeting.entities.set(entities)
            ranked = rank_countries(region_risks(meeting), jump_threshold=settings.RQR_JUMP_THRESHOLD)
            AgendaItem.objects.bulk_create(
                AgendaItem(meeting=meeting, country_id=r.risk.country_id, position=i, proposal_reasons=r.reasons)
                for i, r in enumerate((r for r in ranked if r.proposed), start=1)
            )
            audit_record(actor=actor, action=Audit.CREATE, obj=meeting,
                         changes=audit_changes(None, meeting, fields=["kind", "region", "quarter", "date", "chair"]))
    except IntegrityError:
        raise AlreadyDone(
            _("%(region)s already has a review for %(quarter)s.") % {"region": region, "quarter": quarter}
        ) from None
    return meeting


def sag_create(*, actor: User, date: dt.date, members=()) -> Meeting:
    with transaction.atomic():
        meeting = Meeting.objects.create(kind=Meeting.Kind.SAG, date=date)
        meeting.members.set(members)
        audit_record(actor=actor, action=Audit.CREATE, obj=meeting, changes=audit_changes(None, meeting, fields=["kind", "date"]))
    return meeting


# --- building the agenda ----------------------------------------------------

_AGENDA_FIELDS = ["included", "position", "chair_reason"]


def agenda_add(*, meeting: Meeting, actor: User, country: Country, reason: str, lock_version: int) -> AgendaItem:
    _require_preparation(meeting)
    if meeting.is_rqr and country.region_id != meeting.region_id:
        raise ReviewError(
            _("%(country)s is not in %(region)s; only the region's countries can be on its review.")
            % {"country": country, "region": meeting.region}
        )
    with transaction.atomic():
        bump(meeting, lock_version=lock_version)
        # The country's own item; a SAG case of the same country (an item with a source) is another matter.
        item = AgendaItem.objects.filter(
            meeting=meeting, country=country, source_item__isnull=True, source_alert__isnull=True
        ).first()
        if item is not None and item.included:
            raise ReviewError(_("%(country)s is already on the agenda.") % {"country": country})
        if not reason.strip() and not (item and item.proposal_reasons):
            raise ReasonRequired(_("Say why %(country)s should be discussed.") % {"country": country})
        last = meeting.items.included().aggregate(n=Max("position"))["n"] or 0
        before = item and audit_snapshot(item, _AGENDA_FIELDS)
        if item is None:
            item = AgendaItem.objects.create(meeting=meeting, country=country, position=last + 1, chair_reason=reason)
        else:
            item.included, item.position, item.chair_reason = True, last + 1, reason
            item.save(update_fields=["included", "position", "chair_reason"])
        audit_record(actor=actor, action=Audit.UPDATE if before else Audit.CREATE, obj=item, detail={"step": "agenda_add"},
                     changes=audit_changes(before, item, fields=_AGENDA_FIELDS))
    return item


def agenda_remove(*, item: AgendaItem, actor: User, reason: str, lock_version: int) -> AgendaItem:
    meeting = item.meeting
    _require_preparation(meeting)
    if item.proposal_reasons and not reason.strip():
        raise ReasonRequired(_("The app proposed %(country)s: say why it is taken off.") % {"country": item.country})
    with transaction.atomic():
        bump(meeting, lock_version=lock_version)
        changes = audit_changes(item, {"included": False, "chair_reason": reason})
        item.included, item.chair_reason = False, reason
        item.save(update_fields=["included", "chair_reason"])
        audit_record(actor=actor, action=Audit.UPDATE, obj=item, changes=changes, detail={"step": "agenda_remove"})
    return item


def agenda_move(*, item: AgendaItem, actor: User, up: bool, lock_version: int) -> None:
    meeting = item.meeting
    _require_preparation(meeting)
    if not item.included:
        raise ReviewError(_("%(country)s is not on the agenda.") % {"country": item.country})
    with transaction.atomic():
        bump(meeting, lock_version=lock_version)
        order = list(meeting.items.included().order_by("position", "id"))
        i = next(i for i, other in enumerate(order) if other.pk == item.pk)
        j = i - 1 if up else i + 1
        if 0 <= j < len(order):
            order[i], order[j] = order[j], order[i]
        for position, other in enumerate(order, start=1):
            other.position = position
        AgendaItem.objects.bulk_update(order, ["position"])
        audit_record(actor=actor, action=Audit.UPDATE, obj=item, detail={"step": "agenda_move"},
                     changes=audit_changes({"position": i + 1}, {"position": (j if 0 <= j < len(order) else i) + 1}))


def agenda_reorder(*, meeting: Meeting, actor: User, positions: dict[int, int], lock_version: int) -> None:
    """Several places at once: each item's wished position (1 is first). Items sorted by it, ties and
    items not given kept in their present order; positions renumbered 1..n."""
    _require_preparation(meeting)
    with transaction.atomic():
        bump(meeting, lock_version=lock_version)
        order = list(meeting.items.included().order_by("position", "id"))
        unknown = set(positions) - {item.pk for item in order}
        if unknown:
            raise ReviewError(_("The agenda changed since you opened it; nothing was moved. Reload the page."))
        before = {item.pk: index for index, item in enumerate(order, start=1)}
        order.sort(key=lambda item: (positions.get(item.pk, before[item.pk]), before[item.pk]))
        for position, item in enumerate(order, start=1):
            item.position = position
        AgendaItem.objects.bulk_update(order, ["position"])
        audit_record(actor=actor, action=Audit.UPDATE, obj=meeting, detail={"step": "agenda_reorder"},
                     changes=audit_changes({"order": list(before)}, {"order": [item.pk for item in order]}))


def agenda_publish(*, meeting: Meeting, actor: User, lock_version: int) -> Meeting:
    """Freeze what the meeting will see: the ranked table and each item's scan revision and score."""
    _require_preparation(meeting)
    items = list(meeting.items.included().select_related("country"))
    if not items:
        raise ReviewError(_("The agenda is empty: add at least one country before publishing."))
    if meeting.is_rqr:
        table = rank_countries(region_risks(meeting), jump_threshold=settings.RQR_JUMP_THRESHOLD)
    else:
        quarter = Period.containing(meeting.date, "quarterly")
        since = timezone.now() - dt.timedelta(days=settings.SAG_ALERT_LOOKBACK_DAYS)
        table = rank_countries(
            risks(Country.objects.filter(pk__in=[i.country_id for i in items]), quarter, since),
            jump_threshold=settings.RQR_JUMP_THRESHOLD,
        )
    by_country = {r.risk.country_id: r.risk for r in table}
    strays = [i.country.name for i in items if i.country_id not in by_country]
    if strays:
        raise ReviewError(
            _("No longer in the region, take off the agenda first: %(names)s.") % {"names": ", ".join(strays)}
        )
    warnings = review_warnings(meeting, {i.country_id for i in items})
    unanswered = [r.warning for r in warnings if not r.answered]
    if unanswered:
        raise ReviewError(
            _("Each open warning of the region must be on the agenda or deferred with a reason: %(names)s.")
            % {"names": ", ".join(f"{w.country.name} ({w.get_kind_display()})" for w in unanswered)}
        )
    drivers = _drivers([r.revision_id for r in by_country.values() if r.revision_id])
    on_agenda = {by_country[i.country_id].revision_id for i in items}
    lenses = framework_lenses(pk for pk in on_agenda if pk is not None)
    with transaction.atomic():
        bump(
            meeting, lock_version=lock_version, state=Meeting.State.PUBLISHED, published_at=timezone.now(),
            snapshot=[r.as_row() for r in table],
        )
        _answer_warnings(meeting, items, warnings, actor)
        monitoring_fulfil(meeting=meeting, country_ids=[i.country_id for i in items], actor=actor)
        for item in items:
            risk = by_country[item.country_id]
            item.snap_revision_id = risk.revision_id
            item.snap_score, item.snap_tier, item.snap_change = risk.score, risk.tier, risk.change
            item.snap_worsening, item.snap_alerts, item.snap_missing = risk.worsening, risk.alerts, risk.missing
            item.snap_drivers = drivers.get(risk.revision_id, []) if risk.revision_id else []
            item.snap_framework = LensSummary.of(lenses[risk.revision_id]).as_json() if risk.revision_id else {}
        AgendaItem.objects.bulk_update(
            items,
            ["snap_revision", "snap_score", "snap_tier", "snap_change", "snap_worsening", "snap_alerts",
             "snap_missing", "snap_drivers", "snap_framework"],
        )
        audit_record(actor=actor, action=Audit.UPDATE, obj=meeting, detail={"step": "published", "items": len(items)},
                     changes=audit_changes({"state": Meeting.State.PREPARATION, "published_at": None}, meeting))
    return meeting


def _meeting_day_end(meeting: Meeting) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(meeting.date, dt.time(23, 59)))


def _put_on_agenda(item: AgendaItem, warning: EarlyWarning, actor: User) -> None:
    """The warning is answered by this item: it waits for the meeting's decision now."""
    meeting = item.meeting
    item.warnings.add(warning)
    ledger.warning_advance(
        warning=warning, step=Step.ON_AGENDA, key=f"warning:{warning.pk}:agenda:{meeting.pk}", actor=actor,
        state=WarningState.ON_AGENDA, act_by=_meeting_day_end(meeting), detail="meeting",
        params={"meeting": meeting.title_params(), "meeting_id": meeting.pk},
    )


def _answer_warnings(meeting: Meeting, items: list[AgendaItem], warnings: list[ReviewWarning], actor: User) -> None:
    """At publication each open warning of the region is on the agenda (with its country) or
    deferred to the next review; the officers of each country on the agenda hear of it."""
    by_country = {i.country_id: i for i in items}
    params = {"meeting": meeting.title_params(), "meeting_id": meeting.pk}
    for r in warnings:
        w, deferral = r.warning, r.deferral
        if r.on_agenda:
            _put_on_agenda(by_country[w.country_id], w, actor)
            continue
        assert deferral is not None  # publication refuses an unanswered warning
        if not w.is_acknowledged:
            ledger.warning_defer_acknowledges(warning=w, actor=deferral.deferred_by, reason=deferral.reason)
        ledger.warning_advance(
            warning=w, step=Step.DEFERRED, key=f"warning:{w.pk}:deferred:{meeting.pk}", actor=deferral.deferred_by,
            act_by=timezone.now() + dt.timedelta(days=settings.WARNING_AGENDA_DAYS), note=deferral.reason,
            detail="meeting", params=params,
        )
    if meeting.is_rqr:
        for item in items:
            ledger.tell_country(
                country=item.country, code=ON_AGENDA,
                params={"country": str(item.country), "meeting": meeting.title_params(), "date": meeting.date.isoformat()},
                link=reverse("reviews:meeting_detail", args=[meeting.pk]),
            )


def warning_defer(*, meeting: Meeting, warning: EarlyWarning, actor: User, reason: str) -> WarningDeferral:
    """The chair answers an open warning of the region without discussing it now, with a reason; it
    is recorded at publication and proposed again to the next review."""
    _require_preparation(meeting)
    if not (meeting.is_rqr and warning.country.region_id == meeting.region_id and warning.is_open
            and not warning.answered_by_headquarters):
        raise ReviewError(_("Only an open warning of the region can be deferred by its review."))
    reason = reason.strip()
    if not reason:
        raise ReasonRequired(_("Say why the warning waits for the next review."))
    if len(reason) > NOTE_LIMIT:
        raise ReviewError(_("Keep the reason to %(n)s characters.") % {"n": NOTE_LIMIT})
    with transaction.atomic():
        try:
            with transaction.atomic():
                deferral = WarningDeferral.objects.create(meeting=meeting, warning=warning, reason=reason, deferred_by=actor)
        except IntegrityError:
            raise ReviewError(_("This warning is already deferred at this review.")) from None
        audit_record(actor=actor, action=Audit.CREATE, obj=deferral, detail={"step": "warning_deferred"},
                     changes=audit_changes(None, deferral, fields=["warning", "reason"]))
    return deferral


def _drivers(revision_ids: list[int]) -> dict[int, list[dict]]:
    by_revision: dict[int, list] = {}
    for rating in Rating.objects.filter(revision_id__in=revision_ids).select_related("indicator", "case_indicator"):
        by_revision.setdefault(rating.revision_id, []).append(rating)
    # Frozen with the English name and its translations, so each reader of the record reads their own
    # language, whoever published it; a case-specific indicator's name is kept as written.
    with translation.override(SOURCE_LANGUAGE):
        return {rid: [_driver(d, {r.key: r for r in rs}[d.key]) for d in score_ratings(rating_inputs(rs)).drivers[:5]]
                for rid, rs in by_revision.items()}


def _driver(driver, rating: Rating) -> dict:
    frozen = {"label": driver.label, "rating": driver.rating, "worsening": driver.worsening}
    if rating.indicator is not None:
        frozen["translations"] = {code: {"name": texts["name"]} for code, texts in rating.indicator.translations.items()
                                  if texts.get("name")}
    return frozen


def meeting_advance(*, meeting: Meeting, actor: User, lock_version: int) -> Meeting:
    """Published -> held -> record closed. The record closes only when every item has a decision."""
    before = audit_snapshot(meeting, ["state"])
    with transaction.atomic():
        if meeting.state == Meeting.State.PUBLISHED:
            bump(meeting, lock_version=lock_version, state=Meeting.State.HELD)
        elif meeting.state == Meeting.State.HELD:
            undecided = meeting.items.included().filter(decision="").select_related("country")
            if undecided:
                names = ", ".join(i.country.name for i in undecided)
                raise ReviewError(_("Record a decision for every item before closing: %(names)s.") % {"names": names})
            bump(meeting, lock_version=lock_version, state=Meeting.State.CLOSED)
        else:
            raise ReviewError(_("Publish the agenda first."))
        audit_record(actor=actor, action=Audit.UPDATE, obj=meeting, changes=audit_changes(before, meeting),
                     detail={"step": "advanced"})
    return meeting


# --- the record -------------------------------------------------------------

_RECORD_FIELDS = ["summary", "agreed_tier", "agreed_tier_reason", "decision", "decision_reason", "dissent"]


def _record_errors(item: AgendaItem, decision: str, decision_reason: str, agreed_tier: str, agreed_tier_reason: str):
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose a decision.")
    elif decision == Decision.ESCALATE and not item.meeting.is_rqr:
        errors["decision"] = _("The Senior Action Group is the last step: choose another decision.")
    elif decision == Decision.ESCALATE and not decision_reason.strip():
        errors["decision_reason"] = _("Say why the case goes to the Senior Action Group.")
    if agreed_tier and item.snap_tier and agreed_tier != item.snap_tier and not agreed_tier_reason.strip():
        errors["agreed_tier_reason"] = _("The agreed level differs from the computed one: say why.")
    if agreed_tier and agreed_tier not in TIER_ORDER:
        errors["agreed_tier"] = _("Choose a risk level.")
    return errors


def item_record(
    *, item: AgendaItem, actor: User, lock_version: int, summary: str, agreed_tier: str, agreed_tier_reason: str,
    decision: str, decision_reason: str, dissent: str,
) -> AgendaItem:
    meeting = item.meeting
    if not meeting.accepts_records:
        raise ReviewError(
            _("Decisions are recorded once the agenda is published and until the record is closed.")
        )
    if not item.included:
        raise ReviewError(_("%(country)s is not on the agenda.") % {"country": item.country})
    errors = _record_errors(item, decision, decision_reason, agreed_tier, agreed_tier_reason)
    if errors:
        raise RecordIncomplete(errors)
    newly_escalated = decision == Decision.ESCALATE and item.decision != Decision.ESCALATE
    decision_changed = decision != item.decision
    before = audit_snapshot(item, _RECORD_FIELDS)
    with transaction.atomic():
        bump(
            item, lock_version=lock_version,
            where=Q(meeting__state__in=[Meeting.State.PUBLISHED, Meeting.State.HELD]),
            summary=summary, agreed_tier=agreed_tier,
            agreed_tier_reason=agreed_tier_reason, decision=decision, decision_reason=decision_reason,
            dissent=dissent, recorded_by=actor, recorded_at=timezone.now(),
        )
        audit_record(actor=actor, action=Audit.UPDATE, obj=item, detail={"step": "recorded"},
                     changes=audit_changes(before, item, fields=_RECORD_FIELDS))
        if decision_changed:
            _decide_warnings(item, actor, decision, decision_reason)
        if newly_escalated and item.escalation_warning_id is None:
            escalation = ledger.warning_for_escalation(
                country=item.country, actor=actor, item_id=item.pk, reason=decision_reason, detail="meeting",
                params={"meeting": meeting.title_params(), "meeting_id": meeting.pk},
            )
            AgendaItem.objects.filter(pk=item.pk).update(escalation_warning=escalation)
            item.escalation_warning = escalation
        if decision_changed:
            # After the escalation warning exists: the commitment shows on its timeline too.
            commitment_make(item=item, actor=actor)
        if newly_escalated:
            notify(
                recipients=[*sag_members(), *eosg_staff()],
                code=ESCALATED,
                params={"country": str(item.country), "meeting": meeting.title_params(), "item_id": item.pk},
                link=reverse("reviews:sag_candidates"),
                hold_for_digest=False,  # an escalation is urgent news
            )
        if not meeting.is_rqr and item.source_item is not None and decision_changed:
            source = item.source_item.meeting
            notify(
                recipients=chairs_or_above(source.region_id),
                code=SAG_DECISION,
                params={"country": str(item.country), "decision": decision, "text": decision_reason},
                link=reverse("reviews:meeting_detail", args=[meeting.pk]),
            )
    return item


def _decide_warnings(item: AgendaItem, actor: User, decision: str, text: str) -> None:
    """The item's warnings are decided: a plan is still to come, by the plan commitment's due date; any
    other decision closes them (an escalation goes on as the SAG's own warning). The country's officers
    hear what was decided."""
    meeting = item.meeting
    params = {"meeting": meeting.title_params(), "decision": decision}
    for w in item.warnings.all():
        plan_next = decision == Decision.PLAN
        ledger.warning_advance(
            warning=w, step=Step.DECIDED, key=f"warning:{w.pk}:decided:{item.pk}:{decision}", actor=actor,
            state=WarningState.DECIDED if plan_next else WarningState.CLOSED,
            act_by=due_of(item, Commitment.Kind.PLAN) if plan_next else None,
            detail="decision", params=params,
        )
    ledger.tell_country(
        country=item.country, code=DECIDED,
        params={"country": str(item.country), "meeting": meeting.title_params(), "decision": decision, "text": text},
        link=reverse("reviews:meeting_detail", args=[meeting.pk]),
    )


_ENHANCED_PENDING = {"decision": Decision.ENHANCED, "enhanced_confirmed_at__isnull": True,
                     "enhanced_declined_at__isnull": True}


def _require_enhanced_pending(item: AgendaItem) -> None:
    """Refuse unless the item recommends enhanced reporting and EOSG has not answered yet, saying
    what already happened (read afresh: the caller's copy may be older than another answer)."""
    current = AgendaItem.objects.select_related("country", "enhanced_confirmed_by", "enhanced_declined_by").get(
        pk=item.pk
    )
    if current.decision != Decision.ENHANCED:
        raise ReviewError(_("This item does not recommend enhanced reporting."))
    if current.enhanced_confirmed_at is not None:
        raise ReviewError(
            _("Enhanced reporting for %(country)s was already confirmed by %(user)s on %(date)s.")
            % {"country": current.country, "user": current.enhanced_confirmed_by,
               "date": date_format(timezone.localtime(current.enhanced_confirmed_at), "j F Y")}
        )
    if current.enhanced_declined_at is not None:
        raise ReviewError(
            _("Enhanced reporting for %(country)s was already declined by %(user)s on %(date)s.")
            % {"country": current.country, "user": current.enhanced_declined_by,
               "date": date_format(timezone.localtime(current.enhanced_declined_at), "j F Y")}
        )


def _answer_enhanced(item: AgendaItem, **answer) -> None:
    """Write EOSG's answer if the recommendation still awaits one (compare-and-set: of two
    answers given at once, one wins and the other is told what happened)."""
    if not compare_and_set(AgendaItem, pk=item.pk, expected=_ENHANCED_PENDING, new=answer):
        _require_enhanced_pending(item)
        raise ReviewError(_("This recommendation changed meanwhile; reload the page."))


def _tell_enhanced_outcome(item: AgendaItem, country: Country, *, code: str, **params) -> None:
    """The region's chairs (EOSG where the region has none) and the country's officers hear EOSG's answer."""
    notify(
        recipients=[*chairs_or_above(country.region_id), *country_officers(country)],
        code=code,
        params={"country": str(country), "meeting": item.meeting.title_params(), "item_id": item.pk, **params},
        link=reverse("reviews:meeting_detail", args=[item.meeting_id]),
    )


def enhanced_reporting_confirm(*, item: AgendaItem, actor: User) -> Country:
    """EOSG confirms a recommendation: the country reports monthly from the first day of the next
    month (Country.monthly_from), so no month already begun is owed as a monthly period. A country
    already under enhanced reporting keeps the start it has."""
    _require_enhanced_pending(item)
    country = Country.objects.get(pk=item.country_id)
    starts = country.monthly_from if country.enhanced_reporting else monthly_reporting_start(timezone.localdate())
    with transaction.atomic():
        _answer_enhanced(item, enhanced_confirmed_by=actor, enhanced_confirmed_at=timezone.now())
        commitment_fulfil(item=item, kinds=(Commitment.Kind.ENHANCED,), actor=actor)
        Country.objects.filter(pk=country.pk).update(enhanced_reporting=True, monthly_from=starts)
        audit_record(actor=actor, action=Audit.UPDATE, obj=item, detail={"step": "enhanced_reporting_confirmed"},
                     changes=audit_changes({"enhanced_confirmed_by": None,
                                            "country.enhanced_reporting": country.enhanced_reporting,
                                            "country.monthly_from": country.monthly_from},
                                           {"enhanced_confirmed_by": actor.pk, "country.enhanced_reporting": True,
                                            "country.monthly_from": starts}))
        already_monthly = country.reports_monthly_on(timezone.localdate())
        _tell_enhanced_outcome(item, country, code=ENHANCED_CONFIRMED,
                               date="" if already_monthly or starts is None else starts.isoformat())
    country.refresh_from_db()
    item.refresh_from_db()
    item.country = country
    return country


def enhanced_reporting_decline(*, item: AgendaItem, actor: User, reason: str) -> AgendaItem:
    """EOSG declines a recommendation, saying why: the country's reporting does not change."""
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("Say why enhanced reporting is declined."))
    if len(reason) > DECLINE_REASON_MAX:
        raise ReviewError(
            _("Keep the reason within %(n)s characters.") % {"n": DECLINE_REASON_MAX}
        )
    _require_enhanced_pending(item)
    country = Country.objects.get(pk=item.country_id)
    with transaction.atomic():
        _answer_enhanced(item, enhanced_declined_by=actor, enhanced_declined_at=timezone.now(),
                         enhanced_decline_reason=reason)
        commitment_fulfil(item=item, kinds=(Commitment.Kind.ENHANCED,), actor=actor)
        audit_record(actor=actor, action=Audit.UPDATE, obj=item, detail={"step": "enhanced_reporting_declined"},
                     changes=audit_changes({"enhanced_declined_by": None, "enhanced_decline_reason": ""},
                                           {"enhanced_declined_by": actor.pk, "enhanced_decline_reason": reason}))
        _tell_enhanced_outcome(item, country, code=ENHANCED_DECLINED, text=reason)
    item.refresh_from_db()
    return item


def monthly_reporting_start(confirmed_on: dt.date) -> dt.date:
    """Monthly reporting confirmed on a day starts with the next month: the month running then began
    before the confirmation and is never owed as a monthly period."""
    return Period.containing(confirmed_on, "monthly").next().start


# --- the Senior Action Group -------------------------------------------------


def alert_flag_for_sag(*, alert: Alert, actor: User, reason: str) -> Alert:
    if not reason.strip():
        raise ReviewError(_("Say why the Senior Action Group should take this alert."))
    with transaction.atomic():
        flagged = compare_and_set(
            Alert, pk=alert.pk, expected={"sag_flagged_at__isnull": True},
            new={"sag_flagged_at": timezone.now(), "sag_flagged_by": actor, "sag_flag_reason": reason},
        )
        if not flagged:
            raise AlreadyDone(_("This alert is already flagged for the Senior Action Group."))
        audit_record(actor=actor, action=Audit.UPDATE, obj=alert, detail={"step": "flagged_for_sag"},
                     changes=audit_changes(alert, {"sag_flagged_by": actor.pk, "sag_flag_reason": reason}))
        ledger.warning_for_sag_flag(alert=alert, actor=actor, reason=reason)
        notify(
            recipients=sag_or_above(),
            code=ALERT_FLAGGED,
            params={"country": str(alert.country), "alert_id": alert.pk, "text": reason},
            link=reverse("reviews:sag_candidates"),
            hold_for_digest=False,  # a flag for the SAG is urgent news
        )
    alert.refresh_from_db()
    return alert


def sag_take(
    *, meeting: Meeting, actor: User, lock_version: int, source_item: AgendaItem | None = None,
    source_alert: Alert | None = None,
) -> AgendaItem:
    """Put an escalated case or a flagged alert on a SAG agenda as an item of its own, with its
    origin attached: two cases of one country are two items, each decided on its own."""
    if meeting.is_rqr:
        raise ReviewError(_("Only a Senior Action Group meeting takes escalated cases."))
    _require_preparation(meeting)
    source: AgendaItem | Alert
    link: dict[str, AgendaItem | Alert]
    if source_item is not None and source_alert is None:
        source, link = source_item, {"source_item": source_item}
        code = ESCALATED_BY if source_item.meeting.is_rqr else MONITORING_DECIDED
        reasons = [coded_reason(code, meeting=source_item.meeting.title_params())]
    elif source_alert is not None and source_item is None:
        source, link = source_alert, {"source_alert": source_alert}
        reasons = [coded_reason(URGENT_ALERT, title=source_alert.title)]
    else:
        raise ReviewError(_("Choose one case to add."))
    _refuse_taken(source)
    try:
        with transaction.atomic():
            bump(meeting, lock_version=lock_version)
            item = AgendaItem.objects.create(
                meeting=meeting, country_id=source.country_id, proposal_reasons=reasons,
                position=(meeting.items.aggregate(n=Max("position"))["n"] or 0) + 1, **link,
            )
            audit_record(actor=actor, action=Audit.CREATE, obj=item, detail={"step": "sag_take"},
                         changes=audit_changes(None, item, fields=["included", "source_item", "source_alert",
                                                                   "proposal_reasons"]))
            if source_item is not None:
                commitment_fulfil(item=source_item, kinds=(Commitment.Kind.SAG, Commitment.Kind.MONITOR), actor=actor)
                warning = source_item.escalation_warning
            else:
                warning = EarlyWarning.objects.filter(alert=source_alert, kind=EarlyWarning.Kind.SAG_FLAG).first()
            if warning is not None:
                _put_on_agenda(item, warning, actor)
    except IntegrityError:
        # Another SAG meeting took the case between the check above and this write.
        _refuse_taken(source)
        raise
    return item


def _refuse_taken(source: AgendaItem | Alert) -> None:
    taken = source.sag_items.select_related("meeting").first()
    if taken is not None:
        raise AlreadyDone(
            _("This case is already on a Senior Action Group agenda: %(meeting)s.") % {"meeting": taken.meeting}
        )
