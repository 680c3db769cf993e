"""/health/ on a served app: the database, the broker, and whether a worker consumes the task queue
(a worker that answers but listens to another queue does not count)."""

import json

import pytest

from .conftest import needs_postgres
from .services import wait_for
from .web import Browser

pytestmark = [pytest.mark.faults, needs_postgres, pytest.mark.django_db(transaction=True)]


def test_health_reports_the_database_the_broker_and_a_consuming_worker(launch, redis_server):
    env = launch.env(REDIS_URL=redis_server.url)
    web = launch.gunicorn(env, workers=1)
    probe = Browser(web.base)

    def report():
        page = probe.get("/health/")
        return page.status, json.loads(page.text), page.seconds

    status, body, _ = report()
    assert (status, {k: body[k] for k in ("database", "broker", "workers", "consuming")}) == (
        200, {"database": True, "broker": True, "workers": 0, "consuming": False}
    )
    assert body["sweeps"]["status"] == "ok"  # nothing has run yet, and nothing is late yet

    elsewhere = launch.worker(env, name="elsewhere", queues="exports-only")
    assert wait_for(lambda: report()[1]["workers"] == 1, 30), launch.logs()
    assert report()[1]["consuming"] is False
    elsewhere.kill()

    launch.worker(env, name="delivery")
    assert wait_for(lambda: report()[1]["consuming"], 30), launch.logs()
    status, body, _ = report()
    assert status == 200 and body["workers"] == 1

    redis_server.stop()
    status, body, seconds = report()
    assert (status, body["database"], body["broker"], body["consuming"]) == (503, True, False, False)
    assert seconds < 5, f"/health/ took {seconds:.1f}s with the broker down"
