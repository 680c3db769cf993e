"""Every write to follow-up: plans drafted from the template library, actions, benchmarks, updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hruf.audit import WITHHELD, Audit, audit_changes, audit_record, audit_snapshot
from hruf.concurrency import StaleEdit, bump, compare_and_set  # StaleEdit re-exported for the views and the API
from hruf.models import Country, Entity, Role, RoleAssignment, User
from hruf.notifications import notify
from hruf.permissions import can_edit_library, can_edit_plan, can_overrule_action
from hruf.recipients import chairs_or_above, eosg_staff
from reviews.commitments import commitment_fulfil
from reviews.models import AgendaItem, Commitment, Decision
from scans import ledger
from scans.models import Alert, EarlyWarning, WarningStep
from scans.selectors import latest_score

from . import action_log, notices, tally
from .models import Action, ActionStatus, ActionTemplate, ActionUpdate, Benchmark, DeadlineChange, Plan
from .models.plans import CANCEL_REASON_MIN_CHARS, OPEN_STATUSES, OUTCOME_MIN_CHARS, Helped, meaningful_length


class FollowupError(Exception):
    """A request the follow-up workflow refuses, with a message for the person."""


class InvalidInput(FollowupError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(_("Please correct the marked fields."))
        self.errors = errors


def _stale_message() -> str:
    return _("Someone else updated this action since you opened it; reload it and try again.")


@dataclass(frozen=True)
class ActionDraft:
    title: str
    lead_entity: Entity
    owner: User
    deadline: dt.date
    description: str = ""
    template: ActionTemplate | None = None
    restricted: bool = False
    supporting: tuple[Entity, ...] = ()


def _action_errors(draft: ActionDraft, today: dt.date) -> dict[str, str]:
    errors = {}
    if draft.deadline < today:
        errors["deadline"] = _("The deadline is in the past.")
    is_owner = RoleAssignment.objects.filter(user=draft.owner, role=Role.OWNER, entity=draft.lead_entity).exists()
    if not is_owner:
        errors["owner"] = _("%(user)s is not a focal point of %(entity)s; give them that role first.") % {
            "user": draft.owner, "entity": draft.lead_entity,
        }
    return errors


def plan_create(
    *, country: Country, actor: User, title: str, actions: list[ActionDraft], source_item: AgendaItem | None = None,
    source_alert: Alert | None = None, today: dt.date | None = None,
) -> Plan:
    """A plan from a decision (RQR or SAG) or an urgent alert, with its first actions."""
    today = today or timezone.localdate()
    if source_item is None and source_alert is None:
        raise FollowupError(_("A plan follows a recorded decision or an urgent alert."))
    if source_item is not None and source_item.decision not in (Decision.PLAN, Decision.ESCALATE):
        raise FollowupError(_("This decision does not call for a follow-up plan."))
    if not actions:
        raise FollowupError(_("Choose at least one action for the plan."))
    errors = {}
    for i, draft in enumerate(actions):
        for field, message in _action_errors(draft, today).items():
            errors[f"{i}-{field}"] = message
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        score, tier = latest_score(country.pk)
        plan = Plan.objects.create(
            country=country, title=title, source_item=source_item, source_alert=source_alert, created_by=actor,
            adoption_score=score, adoption_tier=tier,
        )
        created = [_create_action(plan, draft, actor, today) for draft in actions]
        audit_record(actor=actor, action=Audit.CREATE, obj=plan, detail={"actions": [_audited(a) for a in created]},
                     changes=audit_changes(None, plan, fields=["title", "source_item", "source_alert"]))
        for warning in _warnings_of(plan):
            ledger.warning_advance(warning=warning, step=WarningStep.Kind.PLAN_ADOPTED, key=f"warning:{warning.pk}:plan:{plan.pk}",
                                   actor=actor, state=EarlyWarning.State.CLOSED, params={"plan_id": plan.pk})
        if source_item is not None:
            # The decision's commitment, or that of the SAG meeting that took the escalated case.
            for item in (source_item, *source_item.sag_items.all()):
                commitment_fulfil(item=item, kinds=(Commitment.Kind.PLAN,), actor=actor)
        ledger.tell_country(country=country, code=notices.PLAN_ADOPTED, params={"country": str(country), "plan_id": plan.pk},
                            link=reverse("followup:plan_detail", args=[plan.pk]))
    return plan


def _warnings_of(plan: Plan) -> list[EarlyWarning]:
    """The warnings a plan answers: those of the decision it follows (with the SAG's, if it escalated),
    or those of its alert."""
    item = plan.source_item
    if item is not None:
        return [*item.warnings.all(), *([item.escalation_warning] if item.escalation_warning else [])]
    return list(EarlyWarning.objects.filter(alert=plan.source_alert)) if plan.source_alert else []


def _secret(action: Action) -> tuple[str, ...]:
    """The texts of a restricted action the trail shows as changed without their words (administrators
    read the trail and may not read them)."""
    return ("title", "description", "cancel_reason") if action.restricted else ()


def _audited(action: Action) -> dict:
    """What the trail keeps of a new action: not the title of a restricted one, which administrators
    (who read the trail) may not read."""
    title = WITHHELD if action.restricted else action.title
    return {"id": action.pk, "title": title, "lead_entity": action.lead_entity, "owner": action.owner,
            "deadline": action.deadline, "restricted": action.restricted}


def _create_action(plan: Plan, draft: ActionDraft, user: User, today: dt.date) -> Action:
    action = Action.objects.create(
        plan=plan, template=draft.template, title=draft.title, description=draft.description,
        lead_entity=draft.lead_entity, owner=draft.owner, deadline=draft.deadline, restricted=draft.restricted,
    )
    action.supporting_entities.set([e for e in draft.supporting if e != draft.lead_entity])
    if draft.template is not None:  # its default benchmarks, due by the action's deadline at the latest
        # In the language the drafter read the template in, like the title and description they kept.
        Benchmark.objects.bulk_create(
            Benchmark(action=action, description=b.translated("description"), evidence_required=b.evidence_required,
                      due_date=min(today + dt.timedelta(days=b.offset_days), draft.deadline))
            for b in draft.template.benchmarks.all()
        )
    ActionUpdate.objects.create(action=action, author=user, status=action.status, code=action_log.CREATED)
    notify(
        recipients=[draft.owner],
        code=notices.ACTION_ASSIGNED,
        params={"title": draft.title, "country": str(plan.country), "date": draft.deadline.isoformat(),
                "action_id": action.pk},
        link=reverse("followup:action_detail", args=[action.pk]),
    )
    return action


def _refuse_if_closed(plan: Plan) -> None:
    if plan.closed_at is not None:
        raise FollowupError(_("The plan was closed with its outcome on %(date)s; its actions stay as they were.") % {
            "date": timezone.localdate(plan.closed_at).isoformat()})


def _locked(plan: Plan) -> Plan:
    return Plan.objects.select_for_update().get(pk=plan.pk)


def _reopen_outcome_chase(plan: Plan) -> None:
    """An action open again: the plan no longer waits for its outcome, and its chase starts over later."""
    Plan.objects.filter(pk=plan.pk, closed_at__isnull=True).update(outcome_step=0)


def action_add(*, plan: Plan, actor: User, draft: ActionDraft, today: dt.date | None = None) -> Action:
    _refuse_if_closed(plan)
    today = today or timezone.localdate()
    errors = _action_errors(draft, today)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _refuse_if_closed(_locked(plan))  # a plan closing meanwhile keeps its outcome true
        _reopen_outcome_chase(plan)
        action = _create_action(plan, draft, actor, today)
        audit_record(actor=actor, action=Audit.CREATE, obj=action, country=plan.country_id,
                     changes=audit_changes(None, {k: v for k, v in _audited(action).items() if k != "id"}))
        return action


def _move_refusal(action: Action, status: str, *, by_owner: bool) -> str:
    """Why a move is refused: the current status and what is allowed from it."""
    current = ActionStatus(action.status).label
    if by_owner and not action.is_open:
        return _("The action is %(current)s and so closed: only the plan's region chair or EOSG can reopen it.") % {
            "current": current}
    allowed = ", ".join(str(ActionStatus(s).label) for s in action.allowed_moves(by_owner=by_owner))
    return _("The action is %(current)s; it cannot move to %(status)s. Allowed: %(allowed)s.") % {
        "current": current, "status": ActionStatus(status).label, "allowed": allowed or _("nothing")}


def _update_errors(action: Action, *, status: str, text: str, evidence: str, cancel_reason: str) -> dict[str, str]:
    errors = {}
    if not action.can_move_to(status, by_owner=True):
        return {"status": _move_refusal(action, status, by_owner=True)}
    if status == ActionStatus.BLOCKED and action.status != ActionStatus.BLOCKED and not text.strip():
        errors["text"] = _("Say what blocks the action.")
    if status == ActionStatus.CANCELLED and meaningful_length(cancel_reason) < CANCEL_REASON_MIN_CHARS:
        errors["cancel_reason"] = _("Say why the action is cancelled, in at least %(n)s characters.") % {
            "n": CANCEL_REASON_MIN_CHARS}
    if status == ActionStatus.DONE:
        unmet = action.benchmarks.filter(evidence_required=True, met_at__isnull=True)
        if unmet.exists():
            errors["status"] = _("Benchmarks still need their evidence before the action is done: %(list)s.") % {
                "list": "; ".join(b.description for b in unmet)
            }
        elif not evidence.strip() and not action.benchmarks.exists():
            errors["evidence"] = _("Give the evidence that the action is done.")
    return errors


def action_update(
    *, action: Action, actor: User, lock_version: int, status: str, text: str = "", evidence: str = "",
    cancel_reason: str = "",
) -> Action:
    """The owner reports progress along the life cycle (Action.can_move_to): blocked needs what
    blocks it, done its evidence (on each required benchmark, or on the update when it has none),
    cancelled a real reason, which the plan's chairs and EOSG are told. A closed action stays closed."""
    if action.owner_id != actor.pk:
        raise FollowupError(_("Only the action's owner, %(owner)s, can change its status.") % {"owner": action.owner})
    if status not in ActionStatus.values:
        raise InvalidInput({"status": _("Choose a status.")})
    errors = _update_errors(action, status=status, text=text, evidence=evidence, cancel_reason=cancel_reason)
    if errors:
        raise InvalidInput(errors)
    cancel_reason = cancel_reason.strip() if status == ActionStatus.CANCELLED else ""
    now = timezone.now()
    with transaction.atomic():
        changes = audit_changes(action, {"status": status, "cancel_reason": cancel_reason}, redact=_secret(action))
        counted = action.tally_fields()
        # The status read is part of the claim: a move is judged from the status it leaves.
        bump(
            action, lock_version=lock_version, message=_stale_message(), expected={"status": action.status},
            status=status, cancel_reason=cancel_reason, completed_at=now if status == ActionStatus.DONE else None,
            closed_at=None if status in OPEN_STATUSES else now,
        )
        tally.sync(action, was=counted)
        ActionUpdate.objects.create(action=action, author=actor, status=status, text=text, evidence=evidence)
        if status == ActionStatus.DONE:
            for warning in _warnings_of(action.plan):  # once per warning: the step's key is its own
                ledger.warning_advance(warning=warning, step=WarningStep.Kind.FIRST_ACTION_DONE,
                                       key=f"warning:{warning.pk}:first_action", actor=actor,
                                       params={"action_id": action.pk})
        if status == ActionStatus.CANCELLED:
            _tell_overseers(action, notices.ACTION_CANCELLED, {"owner": str(actor)})
        audit_record(actor=actor, action=Audit.UPDATE, obj=action, country=action.plan.country_id,
                     changes=changes,
                     detail={"step": "status", "text": WITHHELD if action.restricted and text else text,
                             "evidence": WITHHELD if evidence else ""})
    action.refresh_from_db()
    return action


def _tell_overseers(action: Action, code: str, params: dict) -> None:
    """The plan's region chairs (EOSG if it has none) and EOSG: those who may reopen or extend."""
    country = action.plan.country
    notify(
        recipients=[*chairs_or_above(country.region_id), *eosg_staff()],
        code=code,
        params={"title": action.title, "country": str(country), "action_id": action.pk, **params},
        link=reverse("followup:action_detail", args=[action.pk]),
    )


def action_reopen(*, action: Action, actor: User, lock_version: int, reason: str) -> Action:
    """The plan's region chair or EOSG reopen a done or cancelled action, back to in progress, with
    a reason (kept in the log with the status it left)."""
    if not can_overrule_action(actor, action):
        raise FollowupError(_("Only the plan's region chair or EOSG can reopen an action."))
    if not action.can_move_to(ActionStatus.IN_PROGRESS, by_owner=False):
        raise InvalidInput({"reason": _move_refusal(action, ActionStatus.IN_PROGRESS, by_owner=False)})
    _refuse_if_closed(action.plan)
    if not reason.strip():
        raise InvalidInput({"reason": _("Say why the action is reopened.")})
    with transaction.atomic():
        _refuse_if_closed(_locked(action.plan))
        _reopen_outcome_chase(action.plan)
        was = action.status
        changes = audit_changes(action, {"status": ActionStatus.IN_PROGRESS, "cancel_reason": ""}, redact=_secret(action))
        counted = action.tally_fields()
        bump(action, lock_version=lock_version, message=_stale_message(), expected={"status": action.status},
             status=ActionStatus.IN_PROGRESS, cancel_reason="", completed_at=None, closed_at=None)
        tally.sync(action, was=counted)
        ActionUpdate.objects.create(
            action=action, author=actor, status=ActionStatus.IN_PROGRESS,
            code=action_log.REOPENED, params={"was": was, "reason": reason.strip()},
        )
        notify(recipients=[action.owner], code=notices.ACTION_REOPENED,
               params={"title": action.title, "country": str(action.plan.country), "action_id": action.pk},
               link=reverse("followup:action_detail", args=[action.pk]))
        audit_record(actor=actor, action=Audit.UPDATE, obj=action, country=action.plan.country_id, changes=changes,
                     detail={"step": "reopened", "text": WITHHELD if action.restricted else reason.strip()})
    action.refresh_from_db()
    return action


def action_extend(
    *, action: Action, actor: User, new_deadline: dt.date, reason: str, lock_version: int,
    today: dt.date | None = None,
) -> Action:
    """The plan's region chair or EOSG move an open action's deadline later, with a reason. The old
    date stays in its history (DeadlineChange); the reminders and the overdue ladder start again from
    the new one, reset in the same compare-and-set that moves the date, so a sweep that read the old
    deadline can no longer claim the row (followup.enforcement._claim compares the deadline)."""
    today = today or timezone.localdate()
    if not can_overrule_action(actor, action):
        raise FollowupError(_("Only the plan's region chair or EOSG can extend an action's deadline."))
    if not action.is_open:
        raise FollowupError(_("The action is %(current)s and so closed: reopen it before extending its deadline.") % {
            "current": ActionStatus(action.status).label})
    errors = {}
    if new_deadline <= today:
        errors["new_deadline"] = _("The new deadline must be after today.")
    elif new_deadline <= action.deadline:
        errors["new_deadline"] = _("The new deadline must be after the current one (%(date)s).") % {
            "date": action.deadline.isoformat()}
    if not reason.strip():
        errors["reason"] = _("Say why the deadline is extended.")
    if errors:
        raise InvalidInput(errors)
    old = action.deadline
    with transaction.atomic():
        won = compare_and_set(
            Action.objects.open(), pk=action.pk, expected={"lock_version": lock_version, "deadline": old},
            new={"deadline": new_deadline, "reminders_sent": 0, "overdue_step": 0,
                 "lock_version": F("lock_version") + 1},
        )
        if not won:
            raise StaleEdit(_stale_message())
        DeadlineChange.objects.create(action=action, author=actor, old_deadline=old, new_deadline=new_deadline,
                                      reason=reason.strip())
        notify(recipients=[action.owner], code=notices.DEADLINE_EXTENDED,
               params={"title": action.title, "country": str(action.plan.country), "old": old.isoformat(),
                       "date": new_deadline.isoformat(), "action_id": action.pk},
               link=reverse("followup:action_detail", args=[action.pk]))
        audit_record(actor=actor, action=Audit.UPDATE, obj=action, country=action.plan.country_id,
                     changes=audit_changes({"deadline": old}, {"deadline": new_deadline}),
                     detail={"step": "extended", "text": WITHHELD if action.restricted else reason.strip()})
    action.refresh_from_db()
    return action


def benchmark_add(
    *, action: Action, actor: User, description: str, due_date: dt.date, evidence_required: bool = True,
    today: dt.date | None = None,
) -> Benchmark:
    today = today or timezone.localdate()
    if not action.is_open:
        raise FollowupError(_("The action is closed; reopen it before adding a benchmark."))
    errors = {}
    if due_date < today:
        errors["due_date"] = _("The due date is in the past.")
    elif due_date > action.deadline:
        errors["due_date"] = _("A benchmark falls due by its action's deadline (%(date)s).") % {
            "date": action.deadline.isoformat()
        }
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        benchmark = Benchmark.objects.create(
            action=action, description=description, due_date=due_date, evidence_required=evidence_required
        )
        audit_record(actor=actor, action=Audit.CREATE, obj=benchmark, country=action.plan.country_id, changes=audit_changes(
            None, benchmark, fields=["action", "description", "due_date", "evidence_required"], redact=_secret(action)))
    return benchmark


def benchmark_meet(*, benchmark: Benchmark, actor: User, evidence: str) -> Benchmark:
    action = benchmark.action
    if action.owner_id != actor.pk:
        raise FollowupError(_("Only the action's owner, %(owner)s, can report a benchmark met.") % {"owner": action.owner})
    if benchmark.evidence_required and not evidence.strip():
        raise InvalidInput({"evidence": _("This benchmark needs the evidence that it was met.")})
    before = audit_snapshot(benchmark, ["met_at", "evidence"])
    with transaction.atomic():
        met = compare_and_set(
            Benchmark, pk=benchmark.pk, expected={"met_at__isnull": True}, new={"met_at": timezone.now(), "evidence": evidence}
        )
        if not met:
            raise FollowupError(_("This benchmark is already met."))
        ActionUpdate.objects.create(
            action=action, author=actor, code=action_log.BENCHMARK_MET, params={"benchmark": benchmark.description},
            evidence=evidence,
        )
        benchmark.refresh_from_db()
        tally.benchmarks_changed(action.pk)  # a benchmark met after its action closed
        audit_record(actor=actor, action=Audit.UPDATE, obj=benchmark, country=action.plan.country_id,
                     changes=audit_changes(before, benchmark, redact=_secret(action)), detail={"step": "benchmark_met"})
    return benchmark


def action_reassign(
    *, action: Action, actor: User, lock_version: int, owner: User, deadline: dt.date, today: dt.date | None = None,
) -> Action:
    """EOSG or the plan's chair change who owns an action and by when, if nobody changed the
    action since they read it (an owner's progress report in between would go unseen)."""
    today = today or timezone.localdate()
    draft = ActionDraft(title=action.title, lead_entity=action.lead_entity, owner=owner, deadline=deadline)
    errors = _action_errors(draft, today)
    if deadline == action.deadline:
        # An overdue action may change hands without hiding how late it is.
        errors.pop("deadline", None)
    elif action.is_overdue(today):
        # A missed deadline moves only through action_extend: with a reason, the missed date kept.
        errors["deadline"] = _("This deadline was missed: extend it with a reason instead.")
    if errors:
        raise InvalidInput(errors)
    if action.benchmarks.filter(due_date__gt=deadline).exists():
        raise InvalidInput({"deadline": _("Some benchmarks fall due after this deadline; move them first.")})
    with transaction.atomic():
        moved = deadline != action.deadline
        won = compare_and_set(
            Action, pk=action.pk, expected={"lock_version": lock_version}, new={
                "owner": owner, "deadline": deadline, "lock_version": F("lock_version") + 1,
                # A new deadline restarts the reminders and the overdue ladder.
                **({"reminders_sent": 0, "overdue_step": 0} if moved else {}),
            },
        )
        if not won:  # `action` keeps the owner and deadline as read, for the audit and the notice below
            raise StaleEdit(_stale_message())
        ActionUpdate.objects.create(
            action=action, author=actor,
            code=action_log.REASSIGNED, params={"owner": str(owner), "date": deadline.isoformat()},
        )
        audit_record(actor=actor, action=Audit.UPDATE, obj=action, country=action.plan.country_id,
                     detail={"step": "reassigned"}, changes=audit_changes(
                         {"owner": action.owner, "deadline": action.deadline}, {"owner": owner, "deadline": deadline}))
        if owner.pk != action.owner_id:
            notify(
                recipients=[owner],
                code=notices.ACTION_ASSIGNED,
                params={"title": action.title, "country": str(action.plan.country), "date": deadline.isoformat(),
                        "action_id": action.pk},
                link=reverse("followup:action_detail", args=[action.pk]),
            )
    action.refresh_from_db()
    return action


def plan_close(*, plan: Plan, actor: User, lock_version: int, outcome: str, helped: str) -> Plan:
    """The plan's region chair or EOSG close a plan whose actions are all done or cancelled, with its
    outcome: what happened and whether it helped. The app fills in the rest: the country's score and tier
    now (beside those at adoption), and how many actions were done on time, done late and cancelled."""
    if not can_edit_plan(actor, plan):
        raise FollowupError(_("Only the plan's region chair or EOSG can close a plan."))
    _refuse_if_closed(plan)
    errors = {}
    if meaningful_length(outcome) < OUTCOME_MIN_CHARS:
        errors["outcome"] = _("Say what happened, in at least %(n)s characters.") % {"n": OUTCOME_MIN_CHARS}
    if helped not in Helped.values:
        errors["helped"] = _("Say whether the plan helped.")
    if errors:
        raise InvalidInput(errors)
    now = timezone.now()
    with transaction.atomic():
        _refuse_if_closed(_locked(plan))
        still_open = plan.actions.open().count()
        if still_open or not plan.actions.exists():
            raise FollowupError(
                ngettext("%(n)s action of the plan is still open: finish or cancel it first.",
                         "%(n)s actions of the plan are still open: finish or cancel them first.", still_open) % {"n": still_open}
                if still_open else _("The plan has no action yet."))
        tally = plan.actions.tally()
        score, tier = latest_score(plan.country_id)
        changes = audit_changes(plan, {"outcome": outcome.strip(), "helped": helped})
        bump(plan, lock_version=lock_version, message=_("Someone else changed this plan since you opened it; reload it and try again."),
             expected={"closed_at": None}, closed_at=now, closed_by=actor, closing_score=score, closing_tier=tier,
             actions_on_time=tally["on_time"], actions_late=tally["late"], actions_cancelled=tally["cancelled"],
             outcome=outcome.strip(), helped=helped)
        audit_record(actor=actor, action=Audit.UPDATE, obj=plan, country=plan.country_id, changes=changes,
                     detail={"step": "closed", "score": score, "tier": tier, **tally})
        notify(
            recipients=[*chairs_or_above(plan.country.region_id), *eosg_staff()],
            code=notices.PLAN_CLOSED,
            params={"title": plan.title, "country": str(plan.country), "who": str(actor)},
            link=reverse("followup:plan_detail", args=[plan.pk]),
        )
    plan.refresh_from_db()
    return plan


def template_save(*, form, benchmarks, actor: User) -> tuple[ActionTemplate, int]:
    """EOSG keeps the library: a template's fields (form, a ModelForm) and its default benchmarks
    (benchmarks, an inline formset), both valid, saved together and audited. Returns the template and,
    when it was just retired, how many open plans still draft from it (they keep it)."""
    if not can_edit_library(actor):
        raise FollowupError(_("Only EOSG keeps the template library."))
    creating = form.instance.pk is None
    before = None if creating else audit_snapshot(ActionTemplate.objects.get(pk=form.instance.pk))
    with transaction.atomic():
        template = form.save()
        benchmarks.instance = template
        benchmarks.save()
        kept = [{"description": b.description, "offset_days": b.offset_days, "evidence_required": b.evidence_required}
                for b in template.benchmarks.all()]
        audit_record(actor=actor, action=Audit.CREATE if creating else Audit.UPDATE, obj=template,
                     changes=audit_changes(before, template), detail={"benchmarks": kept})
    retired_in_use = 0
    if before is not None and before["active"] and not template.active:
        retired_in_use = Plan.objects.filter(closed_at__isnull=True, actions__template=template).distinct().count()
    return template, retired_in_use
