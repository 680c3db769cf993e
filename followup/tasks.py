"""Thin tasks over the enforcement sweeps; the schedule is in hruf/celery.py.

The sweeps are idempotent (each step is claimed by compare-and-set and recorded under a
unique key), so late acknowledgement is safe: a sweep lost with its worker runs again.
"""

from celery import shared_task

from . import enforcement


@shared_task
def sweep_reminders() -> int:
    return enforcement.sweep_reminders()


@shared_task
def sweep_overdue() -> int:
    return enforcement.sweep_overdue()


@shared_task
def sweep_scans_due() -> int:
    return enforcement.sweep_scans_due()


@shared_task
def sweep_risk_jumps() -> int:
    return enforcement.sweep_risk_jumps()


@shared_task
def sweep_digests() -> int:
    return enforcement.sweep_digests()
