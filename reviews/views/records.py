"""Recording the outcome of each agenda item."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hruf.permissions import can_confirm_enhanced_reporting, get_visible_or_404, require
from hruf.post_only import post_only

from .. import services
from ..forms import EnhancedDeclineForm, RecordForm
from .common import back, item_to_edit, meeting_for


@login_required
@post_only("reviews:meeting_detail", "pk")
def item_record(request, pk: int, item_pk: int):
    item = item_to_edit(request.user, pk, item_pk)
    form = RecordForm(request.POST, instance=None, prefix=f"item-{item.pk}", meeting=item.meeting)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.item_record(
                item=item, actor=request.user, lock_version=d["lock_version"], summary=d["summary"],
                agreed_tier=d["agreed_tier"], agreed_tier_reason=d["agreed_tier_reason"], decision=d["decision"],
                decision_reason=d["decision_reason"], dissent=d["dissent"],
            )
        except services.RecordIncomplete as exc:
            for field, message in exc.errors.items():
                form.add_error(field, message)
            messages.error(request, str(exc))
        except (services.ReviewError, services.StaleEdit) as exc:
            form.add_error(None, str(exc))
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Decision on %(country)s recorded.") % {"country": item.country})
            return back(request, item.meeting, place=f"item-{item.pk}")
    # Re-show the item's form with what was typed, beside the rest of the record.
    return render(request, "reviews/record_form.html", {"meeting": item.meeting, "item": item, "form": form}, status=400)


def _recommendation(request, pk: int, item_pk: int):
    """The meeting and the item EOSG answers: 404 for what the user may not read, 403 for who may
    read it but not answer (hruf.permissions.can_confirm_enhanced_reporting)."""
    meeting = meeting_for(request.user, pk)
    require(can_confirm_enhanced_reporting(request.user))
    item = get_visible_or_404(meeting.items.select_related("country"), pk=item_pk)
    item.meeting = meeting
    return meeting, item


@login_required
@post_only("reviews:meeting_detail", "pk")
def enhanced_confirm(request, pk: int, item_pk: int):
    meeting, item = _recommendation(request, pk, item_pk)
    try:
        country = services.enhanced_reporting_confirm(item=item, actor=request.user)
    except (services.ReviewError, services.StaleEdit) as exc:
        return back(request, meeting, exc)
    if country.monthly_from is not None and country.monthly_from > timezone.localdate():
        messages.success(request, _("Confirmed: %(country)s reports monthly from %(date)s, quarterly until then.")
                         % {"country": country, "date": date_format(country.monthly_from, "j F Y")})
    else:
        messages.success(request, _("Confirmed: %(country)s reports monthly.") % {"country": country})
    return back(request, meeting, place=f"item-{item.pk}")


@login_required
@post_only("reviews:meeting_detail", "pk")
def enhanced_decline(request, pk: int, item_pk: int):
    meeting, item = _recommendation(request, pk, item_pk)
    form = EnhancedDeclineForm(request.POST, prefix=f"decline-{item.pk}")
    if form.is_valid():
        try:
            services.enhanced_reporting_decline(item=item, actor=request.user, reason=form.cleaned_data["reason"])
        except (services.ReviewError, services.StaleEdit) as exc:
            form.add_error(None, str(exc))
            item.refresh_from_db()  # the record beside the form shows what happened meanwhile
            item.meeting = meeting
        else:
            messages.success(request, _("Enhanced reporting for %(country)s declined.") % {"country": item.country})
            return back(request, meeting, place=f"item-{item.pk}")
    # Shown again with what was typed and what was wrong.
    return render(request, "reviews/enhanced_decline_form.html", {"meeting": meeting, "item": item, "form": form},
                  status=400)
