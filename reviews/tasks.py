"""Thin task over the commitments' sweep (reviews/commitment_sweeps.py); the schedule is in hruf/celery.py.

The sweep is idempotent (each rung is claimed by compare-and-set and recorded under a unique key): a beat
that fires twice or a task redelivered after a lost worker repeats nothing.
"""

from celery import shared_task

from . import commitment_sweeps


@shared_task
def sweep_commitments() -> dict[str, int]:
    return commitment_sweeps.sweep_commitments().as_dict()
