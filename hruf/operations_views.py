"""The operator page: is the enforcement machinery running? Each sweep's last run, the outbox's
backlog and the task queue. Read-only; what to do about each is in the README's runbook."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .heartbeats import sweep_states
from .models import SweepAlarm
from .operations import outbox_backlog, queue_length
from .permissions import can_watch_operations, require
from .switch import ALARM_PK


@login_required
@require_GET
def operations(request):
    require(can_watch_operations(request.user))
    now = timezone.now()
    return render(request, "hruf/operations.html", {
        "now": now,
        "states": sweep_states(now=now),
        "alarm": SweepAlarm.objects.filter(pk=ALARM_PK).first(),
        "outbox": outbox_backlog(),
        "queue": queue_length(),
    })
