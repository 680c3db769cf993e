"""The Briefings page, requests for packs, downloads and print views. Anyone outside a pack's audience gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.ids import object_id_or_404
from hruf.permissions import (
    briefing_packs_visible_to,
    can_read_meeting_pack,
    can_read_monthly_briefing,
    can_see_briefings,
    get_visible_or_404,
    meetings_visible_to,
)
from hruf.post_only import post_only
from reviews.models import Meeting
from scans.periods import MONTHLY, Period

from . import documents, services
from .forms import MonthlyRequestForm
from .models import BriefingPack
from .selectors import recent_months

PACK_LIST_LIMIT = 100


def _pack_meeting(user, pk) -> Meeting:
    meeting = get_visible_or_404(
        meetings_visible_to(user, Meeting.objects.select_related("region", "chair")),
        pk=object_id_or_404(pk),
    )
    if not can_read_meeting_pack(user, meeting):
        raise Http404
    return meeting


def _list_page(request, monthly_form=None, status=200):
    user = request.user
    if not can_see_briefings(user):
        raise Http404
    today = timezone.localdate()
    packs = briefing_packs_visible_to(user, BriefingPack.objects.select_related("meeting__region", "created_by"))
    monthly = can_read_monthly_briefing(user)
    if monthly and monthly_form is None:
        monthly_form = MonthlyRequestForm(today=today, initial={"month": services.previous_month(today).code})
    context = {
        "packs": packs[:PACK_LIST_LIMIT],
        "limit": PACK_LIST_LIMIT,
        "monthly_form": monthly_form if monthly else None,
        "months": recent_months(today, 6) if monthly else [],
    }
    return render(request, "briefings/pack_list.html", context, status=status)


@login_required
def pack_list(request):
    return _list_page(request)


@login_required
@post_only("briefings:pack_list")
def pack_request(request):
    user, kind = request.user, request.POST.get("kind", "")
    meeting = month = None
    if kind in (BriefingPack.Kind.RQR, BriefingPack.Kind.SAG):
        meeting = _pack_meeting(user, request.POST.get("meeting", ""))
        if meeting.kind != kind:
            raise Http404
    elif kind == BriefingPack.Kind.MONTHLY:
        if not can_read_monthly_briefing(user):
            raise Http404
        form = MonthlyRequestForm(request.POST, today=timezone.localdate())
        if not form.is_valid():
            return _list_page(request, monthly_form=form, status=400)
        month = form.cleaned_data["month"]
    else:
        raise Http404
    try:
        services.pack_request(kind=kind, actor=user, meeting=meeting, month=month, language=request.LANGUAGE_CODE)
    except services.BriefingError as exc:
        messages.error(request, str(exc))
        if meeting is not None:
            return redirect("reviews:meeting_detail", pk=meeting.pk)
        return redirect("briefings:pack_list")
    messages.success(request, _("The pack is being made. Reload this page to see when it is ready."))
    return redirect("briefings:pack_list")


@login_required
def pack_download(request, pk: int):
    pack = get_visible_or_404(briefing_packs_visible_to(request.user, BriefingPack.objects.all()), pk=pk)
    if not pack.is_ready:
        raise Http404
    try:
        handle = pack.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=pack.download_name, content_type="application/pdf")


@login_required
def meeting_print(request, pk: int):
    meeting = _pack_meeting(request.user, pk)
    return render(request, "briefings/print.html", documents.meeting_context(meeting))


@login_required
def monthly_print(request, month: str):
    if not can_read_monthly_briefing(request.user):
        raise Http404
    try:
        period = Period.parse(month)
    except ValueError:
        raise Http404 from None
    if period.kind != MONTHLY or period.start > timezone.localdate():
        raise Http404
    return render(request, "briefings/print.html", documents.monthly_context(period))
