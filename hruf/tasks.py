"""Thin tasks: each takes ids and calls a plain function from hruf.notifications."""

from celery import shared_task

from .notifications import DeliveryFailed, notification_deliver, notifications_redeliver


@shared_task(
    autoretry_for=(DeliveryFailed,), retry_backoff=30, retry_backoff_max=300, retry_jitter=True, max_retries=None
)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task
def notifications_redeliver_task() -> int:
    ids = notifications_redeliver()
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)
