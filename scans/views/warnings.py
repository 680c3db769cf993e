"""The warnings ledger's pages: the open warnings, one warning's timeline, and acknowledging it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hruf.paging import Page, page_link
from hruf.permissions import can_acknowledge_warning, get_visible_or_404, require, warnings_visible_to
from hruf.post_only import post_only

from ..forms import AcknowledgeForm
from ..ledger import LedgerError, warning_acknowledge
from ..models import EarlyWarning

PAGE_SIZE = 50


@login_required
def warning_list(request):
    """Open warnings by default, past-deadline and oldest first; `?state=all` for every warning."""
    every = request.GET.get("state") == "all"
    warnings = warnings_visible_to(request.user, EarlyWarning.objects.select_related("country__region"))
    warnings = warnings.order_by("-raised_at", "-pk") if every else warnings.open().for_attention()
    page = Page.requested(request, PAGE_SIZE)
    rows, more = page.fetch(warnings)
    return render(request, "scans/warning_list.html", {
        "warnings": rows, "every": every, "now": timezone.now(),
        "previous_link": page.previous and page_link(request, "page", page.previous),
        "next_link": more and page_link(request, "page", page.number + 1),
    })


def _visible_warning(request, pk: int) -> EarlyWarning:
    queryset = EarlyWarning.objects.select_related("country__region", "alert", "scan", "acknowledged_by")
    return get_visible_or_404(warnings_visible_to(request.user, queryset), pk=pk)


@login_required
def warning_detail(request, pk: int, form: AcknowledgeForm | None = None, status: int = 200):
    warning = _visible_warning(request, pk)
    may_acknowledge = can_acknowledge_warning(request.user, warning) and warning.awaits_acknowledgement
    return render(request, "scans/warning_detail.html", {
        "warning": warning, "steps": warning.steps.select_related("actor"), "now": timezone.now(),
        "form": (form or AcknowledgeForm()) if may_acknowledge else None,
    }, status=status)


@login_required
@post_only("scans:warning_detail", "pk")
def warning_acknowledge_view(request, pk: int):
    warning = _visible_warning(request, pk)
    require(can_acknowledge_warning(request.user, warning))
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return warning_detail(request, pk, form=form, status=400)
    try:
        warning_acknowledge(warning=warning, actor=request.user, note=form.cleaned_data["note"])
    except LedgerError as exc:
        messages.error(request, str(exc))
        return redirect("scans:warning_detail", pk=pk)
    messages.success(request, _("Acknowledged: the country's officers are told that you are on it."))
    return redirect("scans:warning_detail", pk=pk)
