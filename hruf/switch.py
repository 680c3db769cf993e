"""The dead man's switch: emails the administrators once when a sweep is late, once when all are
on time again. It runs outside the machinery it watches: `manage.py check_sweeps` (cron, a container
health check) and the web process itself, at most every SWEEP_CHECK_MINUTES from /health/. It sends
directly through the mail server, never through the outbox, whose delivery is one of the watched tasks.

Several web processes and a cron may check at once: the alarm row is raised and lowered by
compare-and-set, and only the process that won sends the email.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .concurrency import compare_and_set
from .heartbeats import SweepState, sweep_states
from .models import Role, SweepAlarm, User

log = logging.getLogger(__name__)

ALARM_PK = 1


def administrators_emails() -> list[str]:
    """settings.ADMINS and the active people holding the administrator role, each address once."""
    emails = [email for _name, email in settings.ADMINS]
    emails += User.objects.filter(is_active=True, roles__role=Role.ADMIN).exclude(email="").values_list(
        "email", flat=True
    )
    return list(dict.fromkeys(emails))


def _mail(template: str, states: list[SweepState], now: dt.datetime) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"hruf/email/{template}_subject.txt", {"states": states}).strip()
        body = render_to_string(
            f"hruf/email/{template}.txt", {"states": states, "now": now, "url": f"{settings.SITE_URL}/operations/"}
        )
    recipients = administrators_emails()
    if not recipients:
        log.error("sweep switch: nobody to tell (set ADMINS or give someone the administrator role)")
        return
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def sweeps_check(*, now: dt.datetime | None = None) -> str:
    """Compare the sweeps with the alarm; raise or lower it and email on a change. Returns what it
    did: "raised", "lowered", "late" (already raised) or "ok"."""
    now = now or timezone.now()
    states = sweep_states(now=now)
    late = [s for s in states if s.late]
    alarm, _ = SweepAlarm.objects.get_or_create(pk=ALARM_PK)
    if late and alarm.raised_at is None:
        if not compare_and_set(SweepAlarm, pk=ALARM_PK, expected={"raised_at": None},
                               new={"raised_at": now, "late": [s.name for s in late]}):
            return "late"
        return _tell("sweeps_late", late, now, undo={"raised_at": None, "late": []}, mine={"raised_at": now})
    if not late and alarm.raised_at is not None:
        if not compare_and_set(SweepAlarm, pk=ALARM_PK, expected={"raised_at": alarm.raised_at},
                               new={"raised_at": None, "lowered_at": now}):
            return "ok"
        undo = {"raised_at": alarm.raised_at, "lowered_at": alarm.lowered_at}
        return _tell("sweeps_recovered", states, now, undo=undo, mine={"raised_at": None, "lowered_at": now})
    return "late" if late else "ok"


def _tell(template: str, states: list[SweepState], now: dt.datetime, *, undo: dict, mine: dict) -> str:
    try:
        _mail(template, states, now)
    except Exception:
        # Unsent, the change is given back so that the next check tries again: an alarm nobody
        # heard of is worth a second attempt, not silence.
        log.exception("sweep switch: the %s email could not be sent; the next check retries", template)
        SweepAlarm.objects.filter(pk=ALARM_PK, **mine).update(**undo)
        return "unsent"
    return "raised" if template == "sweeps_late" else "lowered"


# The web process's own schedule: per process, at most one check every SWEEP_CHECK_MINUTES.
_next_check: list[dt.datetime | None] = [None]


def sweeps_check_now_and_then(*, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    due = _next_check[0]
    if settings.SWEEP_CHECK_MINUTES == 0 or (due is not None and now < due):
        return
    _next_check[0] = now + dt.timedelta(minutes=settings.SWEEP_CHECK_MINUTES)
    try:
        sweeps_check(now=now)
    except Exception:  # /health/ must answer whatever the switch meets
        log.exception("sweep switch: the check failed")
