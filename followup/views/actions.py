"""Actions: the owner's list, one action's page, status updates, benchmarks, reassignment."""

import datetime as dt
from functools import partial

from django.contrib import messages
from django.db.models import Min, Q
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hruf.permissions import actions_visible_to, can_edit_plan, can_update_action, get_visible_or_404, require

from .. import services
from ..forms import ActionUpdateForm, BenchmarkForm, BenchmarkMetForm, ReassignForm
from ..models import Action, Benchmark

DUE_SOON_DAYS = 14


def _action_for(user, pk: int) -> Action:
    return get_visible_or_404(
        actions_visible_to(user, Action.objects.select_related("plan__country__region", "owner", "lead_entity")), pk=pk
    )


@login_required
def my_actions(request):
    today = timezone.localdate()
    mine = list(
        Action.objects.open()
        .filter(owner=request.user)
        .annotate(next_benchmark=Min("benchmarks__due_date", filter=Q(benchmarks__met_at__isnull=True)))
        .select_related("plan__country", "lead_entity")
        .order_by("deadline")
    )
    for a in mine:
        # A benchmark falling due first makes the action due then (the sweeps chase it too).
        a.next_due = min(a.deadline, a.next_benchmark or a.deadline)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    return render(
        request,
        "followup/my_actions.html",
        {
            "overdue": [a for a in mine if a.next_due < today],
            "blocked": [a for a in mine if a.status == "blocked" and a.next_due >= today],
            "due_soon": [a for a in mine if today <= a.next_due <= soon and a.status != "blocked"],
            "later": [a for a in mine if a.next_due > soon and a.status != "blocked"],
            "today": today,
            "soon_days": DUE_SOON_DAYS,
        },
    )


def _detail(request, action: Action, *, update_form=None, benchmark_form=None, reassign_form=None, met_forms=None, status=200):
    owner = can_update_action(request.user, action)
    editor = can_edit_plan(request.user, action.plan)
    benchmarks = list(action.benchmarks.all())
    met_forms = met_forms or {}
    for b in benchmarks:
        b.form = met_forms.get(b.pk, BenchmarkMetForm(prefix=f"b{b.pk}")) if owner and not b.met_at else None
    return render(
        request,
        "followup/action_detail.html",
        {
            "action": action,
            "today": timezone.localdate(),
            "benchmarks": benchmarks,
            "updates": action.updates.select_related("author")[:100],
            "events": action.events.all()[:100],
            "supporting": action.supporting_entities.all(),
            "update_form": update_form or (ActionUpdateForm(initial={"lock_version": action.lock_version, "status": action.status}) if owner else None),
            "benchmark_form": benchmark_form or (BenchmarkForm() if owner or editor else None),
            "reassign_form": reassign_form or (ReassignForm(initial={"owner": action.owner_id, "deadline": action.deadline}) if editor else None),
        },
        status=status,
    )


@login_required
def action_detail(request, pk: int):
    return _detail(request, _action_for(request.user, pk))


def _apply_errors(form, exc):
    for field, message in getattr(exc, "errors", {}).items():
        form.add_error(field if field in form.fields else None, message)
    if not getattr(exc, "errors", None):
        form.add_error(None, str(exc))


def _post(request, action: Action, form, call, success: str, which: str):
    """Validate, call the service, redirect on success; otherwise re-show the page with what was typed."""
    if form.is_valid():
        try:
            call(**form.cleaned_data)
        except services.FollowupError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("followup:action_detail", pk=action.pk)
    return _detail(request, action, status=400, **{which: form})


@login_required
@require_POST
def action_update(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_update_action(request.user, action))
    call = partial(services.action_update, action=action, user=request.user)
    return _post(request, action, ActionUpdateForm(request.POST), call, _("Action updated."), "update_form")


@login_required
@require_POST
def action_reassign(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_edit_plan(request.user, action.plan))
    call = partial(services.action_reassign, action=action, user=request.user)
    return _post(request, action, ReassignForm(request.POST), call, _("Owner and deadline saved."), "reassign_form")


@login_required
@require_POST
def benchmark_create(request, pk: int):
    action = _action_for(request.user, pk)
    require(can_update_action(request.user, action) or can_edit_plan(request.user, action.plan))
    call = partial(services.benchmark_add, action=action)
    return _post(request, action, BenchmarkForm(request.POST), call, _("Benchmark added."), "benchmark_form")


@login_required
@require_POST
def benchmark_met(request, pk: int):
    benchmark = get_visible_or_404(Benchmark.objects.select_related("action"), pk=pk)
    action = _action_for(request.user, benchmark.action_id)
    require(can_update_action(request.user, action))
    form = BenchmarkMetForm(request.POST, prefix=f"b{benchmark.pk}")
    if form.is_valid():
        try:
            services.benchmark_meet(benchmark=benchmark, user=request.user, evidence=form.cleaned_data["evidence"])
        except services.FollowupError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Benchmark recorded as met."))
            return redirect("followup:action_detail", pk=action.pk)
    return _detail(request, action, met_forms={benchmark.pk: form}, status=400)
