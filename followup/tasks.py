"""Thin tasks over the enforcement sweeps; the schedule is in hruf/celery.py.

The sweeps are idempotent (each step is claimed by compare-and-set and recorded under a
unique key), so late acknowledgement is safe: a sweep lost with its worker runs again. Each
returns what it did and how many rows failed (left for the next run).
"""

from celery import shared_task

from . import enforcement, outcome_sweeps, tally


@shared_task
def sweep_reminders() -> dict[str, int]:
    return enforcement.sweep_reminders().as_dict()


@shared_task
def sweep_overdue() -> dict[str, int]:
    return enforcement.sweep_overdue().as_dict()


@shared_task
def sweep_scans_due() -> dict[str, int]:
    return enforcement.sweep_scans_due().as_dict()


@shared_task
def sweep_digests() -> dict[str, int]:
    return enforcement.sweep_digests().as_dict()


@shared_task
def sweep_outcomes() -> dict[str, int]:
    return outcome_sweeps.sweep_outcomes().as_dict()


@shared_task
def recount_closed_actions() -> dict[str, int]:
    return {"wrong": tally.recount_and_report()}
