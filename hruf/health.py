"""A health endpoint for load balancers, the compose health checks and uptime monitors: database,
broker, workers, and whether the sweeps run on time."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app
from .heartbeats import sweep_states
from .switch import sweeps_check_now_and_then

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


def _sweeps() -> dict:
    """"ok", or "late" / "failing" naming each such sweep. Public, so an error is named by its kind
    only; its message is on the operator page."""
    states = sweep_states()
    late = [s.name for s in states if s.late]
    failing = [
        {"name": s.name, "error": s.heartbeat.last_error.split(":", 1)[0] if s.heartbeat.last_error else ""}
        for s in states if s.failing
    ]
    return {"status": "late" if late else "failing" if failing else "ok", "late": late, "failing": failing}


@never_cache
def health(request):
    """200 when the database and the broker answer. The workers and the sweeps are reported, not
    required, so a web container is not restarted because the workers or beat are down (they have
    their own checks). `?sweeps=required` answers 503 when a sweep is late too: for an uptime monitor
    outside, the switch's own watcher. Each hit also runs the dead man's switch now and then."""
    report = {"database": _database(), "broker": _broker()}
    report["workers"], report["consuming"] = _workers() if report["broker"] else (0, False)
    if report["database"]:
        sweeps_check_now_and_then()
        report["sweeps"] = _sweeps()
    healthy = report["database"] and report["broker"]
    if request.GET.get("sweeps") == "required":
        healthy = healthy and report["sweeps"]["status"] != "late"
    return JsonResponse(report, status=200 if healthy else 503)
