"""Thin tasks over the warnings ledger's sweeps (scans/ledger_sweeps.py) and the retirement of restricted
evidence (scans/retention.py); the schedule is in hruf/celery.py.

The sweeps are idempotent (each step is claimed by compare-and-set and recorded under a unique
key): a beat that fires twice or a task redelivered after a lost worker repeats nothing.
"""

from celery import shared_task

from . import ledger_sweeps, retention


@shared_task
def sweep_unacknowledged() -> dict[str, int]:
    return ledger_sweeps.sweep_unacknowledged().as_dict()


@shared_task
def sweep_silence() -> dict[str, int]:
    return ledger_sweeps.sweep_silence().as_dict()


@shared_task
def sweep_restricted_evidence() -> dict[str, int]:
    return retention.sweep_restricted_evidence().as_dict()
