"""Thin task: takes the job's id and calls the plain function in exports.services.

Claiming is a compare-and-set on the job's state, so a redelivered or duplicated task writes nothing twice.
"""

from celery import shared_task

from . import sweeps
from .services import export_job_run


@shared_task
def run_export(job_id: int) -> bool:
    return export_job_run(job_id=job_id)


@shared_task
def sweep_expired_exports() -> dict[str, int]:
    return sweeps.sweep_expired_exports().as_dict()
