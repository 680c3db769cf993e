"""Thin tasks over briefings.services; the monthly schedule is in hruf/celery.py."""

from celery import shared_task

from . import services


@shared_task
def pack_build_task(pack_id: int) -> bool:
    return services.pack_build(pack_id=pack_id)


@shared_task
def briefing_monthly_task() -> int:
    """The previous month's briefing; idempotent, so a second beat or a redelivery makes nothing new."""
    return services.monthly_briefing_make(actor=None).pk
