from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .notifications import notification_mark_read

INBOX_LIMIT = 100


@login_required
def inbox(request):
    notifications = request.user.notifications.all()[:INBOX_LIMIT]
    return render(request, "hruf/inbox.html", {"notifications": notifications, "limit": INBOX_LIMIT})


@login_required
@require_POST
def inbox_mark_read(request):
    raw = request.POST.get("notification")
    notification_mark_read(user=request.user, notification_id=int(raw) if raw and raw.isdigit() else None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox")
