"""Selectors for the people who run the service: the outbox's backlog and the task queue's length.
Read by the operator page (hruf/operations_views.py) and the metrics (hruf/metrics.py)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db.models import Count, Min, Q

from .celery import app as celery_app
from .models import Notification

log = logging.getLogger(__name__)
State = Notification.EmailState


@dataclass(frozen=True)
class OutboxBacklog:
    pending: int  # never tried yet
    retrying: int  # tried and failed at least once, or being sent now, and due another attempt
    failed: int  # out of attempts (or no address): a person must look
    oldest_pending_at: dt.datetime | None

    @property
    def waiting(self) -> int:
        return self.pending + self.retrying


def outbox_backlog() -> OutboxBacklog:
    """The outbox in one query (the notification_outbox index covers the state)."""
    first_try = Q(email_state=State.PENDING, email_attempts=0)
    retry = Q(email_state=State.PENDING, email_attempts__gt=0) | Q(email_state=State.SENDING)
    waiting = Q(email_state__in=[State.PENDING, State.SENDING])
    figures = Notification.objects.filter(email_state__in=[State.PENDING, State.SENDING, State.FAILED]).aggregate(
        pending=Count("pk", filter=first_try),
        retrying=Count("pk", filter=retry),
        failed=Count("pk", filter=Q(email_state=State.FAILED)),
        oldest=Min("created_at", filter=waiting),
    )
    return OutboxBacklog(figures["pending"], figures["retrying"], figures["failed"], figures["oldest"])


def queue_length() -> int | None:
    """Messages waiting in the task queue, or None when the broker does not answer."""
    queue = celery_app.conf.task_default_queue
    try:
        # Declaring is harmless (the worker declares the same queue) and answers with its length on
        # every transport, where a passive declare fails on Redis before a worker has bound it.
        with celery_app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
            return int(conn.default_channel.queue_declare(queue=queue, passive=False, durable=True, auto_delete=False).message_count)
    except Exception:
        log.warning("queue length: the broker did not answer", exc_info=True)
        return None
