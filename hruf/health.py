"""A health endpoint for load balancers and the compose health checks: database, broker, worker."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app


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
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


def _workers() -> int:
    try:
        return len(celery_app.control.ping(timeout=1.0) or [])
    except Exception:
        return 0


@never_cache
def health(request):
    """200 when the database and the broker answer; the worker count is reported, not required,
    so a web container is not restarted because the workers are down (they have their own check)."""
    report = {"database": _database(), "broker": _broker()}
    report["workers"] = _workers() if report["broker"] else 0
    return JsonResponse(report, status=200 if report["database"] and report["broker"] else 503)
