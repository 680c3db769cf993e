"""Notifications: in-app rows that double as the email outbox.

`notify` writes rows inside the caller's transaction and enqueues delivery only after
commit. `notification_deliver` claims one row with compare-and-set, so a duplicate
task, a second worker or a redelivered message finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .audit import Audit, audit_changes, audit_record
from .concurrency import compare_and_set
from .locales import recipient_language
from .models import Notification, User
from .notices import NOTICES
from .sweeps import notifications_written

log = logging.getLogger(__name__)

UNREAD_KEY = "hruf:unread:{}"
# At most this stale should an invalidation be lost (the cache was down during a write).
UNREAD_CACHE_SECONDS = 60


def notify(
    *, recipients: Iterable[User], code: str, params: dict | None = None, link: str = "", hold_for_digest: bool = True
) -> list[Notification]:
    """Write one notification per active recipient: a code of hruf.notices.NOTICES and its plain
    parameters, rendered in each reader's language when read or mailed."""
    if code not in NOTICES.entries:
        raise ValueError(f"unknown notification code {code!r}")
    params = dict(params or {})
    json.dumps(params)  # plain values only: a model or a lazy string here would fail later, when read
    unique = {u.pk: u for u in recipients if u.is_active}
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=u,
            code=code,
            params=params,
            link=link,
            # Digest readers get this in their weekly email instead of one email now.
            email_state=Notification.EmailState.DIGEST
            if hold_for_digest and u.email_mode == User.EmailMode.DIGEST
            else Notification.EmailState.PENDING,
        )
        for u in unique.values()
    )
    notifications_written(len(rows))
    _forget_unread(unique)
    _enqueue_after_commit([n.pk for n in rows if n.email_state == Notification.EmailState.PENDING])
    return rows


def _enqueue_after_commit(ids: list[int]) -> None:
    def enqueue() -> None:
        from .tasks import deliver_notification

        for done, pk in enumerate(ids):
            try:
                deliver_notification.delay(pk)
            except Exception:
                # Broker down: the rows stay pending and the once-a-minute redelivery sweep sends
                # them. The caller's work is committed and must not fail now; nor may it wait on
                # one timed-out publish per row (settings keep a single publish short), so the
                # rest are not tried.
                log.warning(
                    "broker unavailable: %s notification(s) left for the redelivery sweep (first id %s)",
                    len(ids) - done, pk, exc_info=True,
                )
                return

    if ids:
        transaction.on_commit(enqueue)


class DeliveryFailed(Exception):
    """The email could not be sent; the row is pending again for the next attempt."""


def notification_deliver(*, notification_id: int, now: dt.datetime | None = None) -> bool:
    """Send one notification's email. Returns False when there was nothing to send."""
    now = now or timezone.now()
    claimed = compare_and_set(
        Notification, pk=notification_id, expected={"email_state": Notification.EmailState.PENDING},
        new={"email_state": Notification.EmailState.SENDING, "email_claimed_at": now,
             "email_attempts": F("email_attempts") + 1},
    )
    if not claimed:
        return False
    try:
        n = Notification.objects.select_related("recipient").get(pk=notification_id)
        if not n.recipient.email:
            _finish(n.pk, Notification.EmailState.FAILED, error="The recipient has no email address.")
            return False
        _send(n)
    except Exception as exc:
        # Whatever failed (the mail server, or this row's own data), the claim is given back or
        # closed here, so one bad row is retried within its attempts and never blocks the others.
        log.warning("notification %s: delivery failed", notification_id, exc_info=True)
        attempts = Notification.objects.filter(pk=notification_id).values_list("email_attempts", flat=True).first()
        state = (
            Notification.EmailState.FAILED
            if (attempts or 0) >= settings.NOTIFICATION_MAX_ATTEMPTS
            else Notification.EmailState.PENDING
        )
        _finish(notification_id, state, error=f"{type(exc).__name__}: {exc}")
        if state == Notification.EmailState.PENDING:
            raise DeliveryFailed(str(exc)) from exc
        return False
    _finish(n.pk, Notification.EmailState.SENT, sent_at=timezone.now())
    return True


def _finish(pk: int, state: str, *, error: str = "", sent_at: dt.datetime | None = None) -> None:
    Notification.objects.filter(pk=pk, email_state=Notification.EmailState.SENDING).update(
        email_state=state, email_error=error, email_sent_at=sent_at
    )


def _send(n: Notification) -> None:

    language = recipient_language(n.recipient)
    subject, body = n.render(language=language)
    context = {
        "subject": subject, "body": body,
        "url": f"{settings.SITE_URL}{n.link}" if n.link else settings.SITE_URL,
    }
    with translation.override(language):
        text = render_to_string("hruf/email/notification.txt", context)
        html = render_to_string("hruf/email/notification.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [n.recipient.email])
    message.attach_alternative(html, "text/html")
    message.send()


def notifications_redeliver(*, now: dt.datetime | None = None) -> list[int]:
    """Return the ids of pending notifications, after releasing claims that went stale.

    A claim older than the timeout belongs to a worker that died mid-send. Releasing it
    risks one duplicate email in the moment between a send and its bookkeeping; keeping
    it would lose the warning for good, which is worse.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)
    Notification.objects.filter(
        email_state=Notification.EmailState.SENDING, email_claimed_at__lt=stale
    ).update(email_state=Notification.EmailState.PENDING)
    # Rows waiting out a retry back-off belong to their task; only rows never tried (the
    # enqueue was lost) or whose last try is older than any back-off need the sweep.
    never_tried = Q(email_attempts=0, created_at__lt=now - dt.timedelta(seconds=30))
    retry_lost = Q(email_attempts__gt=0, email_claimed_at__lt=stale)
    return list(Notification.objects.email_pending().filter(never_tried | retry_lost).values_list("pk", flat=True)[:1000])


def email_mode_set(*, actor: User, mode: str, request=None) -> None:
    """Someone's choice of mail now or in a weekly digest, audited (it decides who hears of a warning
    when); leaving the digest releases what it held."""
    with transaction.atomic():
        # From the row: a bound form has already put the new choice on the instance.
        before = User.objects.filter(pk=actor.pk).values_list("email_mode", flat=True).get()
        if before == mode:
            return
        User.objects.filter(pk=actor.pk).update(email_mode=mode)
        actor.email_mode = mode
        audit_record(actor=actor, action=Audit.UPDATE, obj=actor, request=request,
                     changes=audit_changes({"email_mode": before}, {"email_mode": mode}))
        if mode == User.EmailMode.IMMEDIATE:
            notifications_release_held(actor=actor)


def notifications_release_held(*, actor: User) -> int:
    """Someone who leaves the digest gets the mail held for it now, not never."""
    held = list(Notification.objects.filter(recipient=actor).held_for_digest().values_list("pk", flat=True))
    Notification.objects.filter(pk__in=held).update(email_state=Notification.EmailState.PENDING)
    _enqueue_after_commit(held)
    return len(held)


def notification_mark_read(*, actor: User, notification_id: int | None = None) -> int:
    rows = Notification.objects.filter(recipient=actor).unread()
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    marked = rows.update(read_at=timezone.now())
    _forget_unread([actor.pk])
    return marked


def unread_count(user: User) -> int:
    """The count the navigation shows on every page, from the cache that notify and marking read keep."""
    key = UNREAD_KEY.format(user.pk)
    count = caches["floor"].get(key)
    if count is None:
        count = user.notifications.unread().count()
        caches["floor"].set(key, count, UNREAD_CACHE_SECONDS)
    return count


def _forget_unread(user_ids: Iterable[int]) -> None:
    # Now, and again after the commit: a page read between the two would otherwise cache the old count.
    keys = [UNREAD_KEY.format(pk) for pk in user_ids]
    caches["floor"].delete_many(keys)
    transaction.on_commit(lambda: caches["floor"].delete_many(keys))
