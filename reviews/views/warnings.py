"""An RQR's answer to the region's open warnings: on the agenda with their country, or deferred."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from hruf.permissions import get_visible_or_404, warnings_visible_to
from hruf.post_only import post_only
from scans.models import EarlyWarning

from .. import services
from .common import back, meeting_to_edit


@login_required
@post_only("reviews:meeting_detail", "pk")
def warning_defer(request, pk: int, warning_pk: int):
    meeting = meeting_to_edit(request.user, pk)
    warning = get_visible_or_404(
        warnings_visible_to(request.user, EarlyWarning.objects.select_related("country")), pk=warning_pk
    )
    try:
        services.warning_defer(meeting=meeting, warning=warning, actor=request.user, reason=request.POST.get("reason", ""))
    except services.ReviewError as exc:
        return back(request, meeting, exc, reason_field=f"defer-{warning.pk}")
    messages.success(request, _("Deferred: %(country)s's warning goes to the next review with your reason.")
                     % {"country": warning.country})
    return back(request, meeting, place=f"warning-{warning.pk}")
