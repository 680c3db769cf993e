"""A health endpoint for load balancers and the compose health checks: database, broker, worker."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app

# Each probe is bounded: a check that hangs on a dead service would hang the load balancer too.
BROKER_TIMEOUT_SECONDS = 2
WORKER_REPLY_SECONDS = 1.0


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:
        return False


def _workers() -> tuple[int, bool]:
    """How many workers answer, and whether one of them consumes the queue our tasks go to.

    A worker that answers the control channel is alive; one subscribed to the task queue is the
    one that delivers notifications and runs the sweeps (a worker started on another queue is not).
    """
    try:
        replies = celery_app.control.inspect(timeout=WORKER_REPLY_SECONDS).active_queues() or {}
    except Exception:
        return 0, False
    queue = celery_app.conf.task_default_queue
    consuming = any(q.get("name") == queue for queues in replies.values() for q in queues or [])
    return len(replies), consuming


@never_cache
def health(request):
    """200 when the database and the broker answer. The workers are reported, not required, so a
    web container is not restarted because the workers are down (they have their own check)."""
    report = {"database": _database(), "broker": _broker()}
    report["workers"], report["consuming"] = _workers() if report["broker"] else (0, False)
    return JsonResponse(report, status=200 if report["database"] and report["broker"] else 503)
