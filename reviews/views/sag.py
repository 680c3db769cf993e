"""The Senior Action Group's queue: escalated cases and alerts flagged for it."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hruf.figures_cache import draw_for_reader, kept_for_reader
from hruf.ids import object_id_or_404
from hruf.permissions import (
    alerts_visible_to,
    can_create_sag_meeting,
    can_flag_for_sag,
    get_visible_or_404,
    require,
)
from hruf.post_only import post_only
from scans.models import Alert

from .. import services
from ..forms import FlagForm, LockForm
from ..models import AgendaItem, Meeting
from ..selectors import sag_candidates as candidates
from .common import back, meeting_to_edit


@login_required
def sag_candidates(request):
    """Kept for its reader until the data changes (hruf.figures_cache)."""
    require(can_create_sag_meeting(request.user))
    body = kept_for_reader(request, "sag-candidates", [], partial(_candidates, request))
    return render(request, "reviews/sag_candidates.html", {"body": body})


def _candidates(request) -> str:
    items, alerts = candidates(request.user)
    upcoming = Meeting.objects.sag().filter(state=Meeting.State.PREPARATION).order_by("date")
    return draw_for_reader(request, "reviews/_sag_candidates_body.html",
                           {"items": items, "alerts": alerts, "upcoming": upcoming})


@login_required
@post_only("reviews:meeting_detail", "pk")
def sag_take(request, pk: int):
    meeting = meeting_to_edit(request.user, pk)
    form = LockForm(request.POST)
    source_item = source_alert = None
    item_id, alert_id = request.POST.get("item", ""), request.POST.get("alert", "")
    if item_id:
        source_item = get_visible_or_404(
            AgendaItem.objects.for_sag().select_related("meeting"), pk=object_id_or_404(item_id)
        )
    if alert_id:
        source_alert = get_visible_or_404(Alert.objects.flagged_for_sag(), pk=object_id_or_404(alert_id))
    try:
        if not form.is_valid():
            raise services.ReviewError(_("The form was incomplete; nothing changed."))
        item = services.sag_take(actor=request.user,
            meeting=meeting, lock_version=form.cleaned_data["lock_version"], source_item=source_item,
            source_alert=source_alert,
        )
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, meeting, exc)
    messages.success(request, _("%(country)s added to the SAG agenda.") % {"country": item.country})
    return back(request, meeting, place=f"item-{item.pk}")


@login_required
@post_only("scans:alert_detail", "pk")
def alert_flag(request, pk: int):
    alert = get_visible_or_404(alerts_visible_to(request.user, Alert.objects.select_related("country")), pk=pk)
    require(can_flag_for_sag(request.user, alert.country))
    form = FlagForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReasonRequired(_("Say why the Senior Action Group should take this alert."))
        services.alert_flag_for_sag(alert=alert, actor=request.user, reason=form.cleaned_data["reason"])
    except (services.ReviewError, services.StaleEdit) as exc:
        messages.error(request, str(exc), extra_tags="flag-reason" if isinstance(exc, services.ReasonRequired) else "")
    else:
        messages.success(request, _("Alert sent to the Senior Action Group's candidates."))
    return redirect("scans:alert_detail", pk=alert.pk)
