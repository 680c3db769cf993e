"""One request id across web and worker: on the response, in each log line, in the tasks a request enqueues."""

import json
import logging
import time
import uuid

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django_guid import get_guid, set_guid
from django_guid.log_filters import CorrelationId
from pythonjsonlogger.json import JsonFormatter

from hruf import celery_app
from hruf.tasks import notifications_redeliver_task

pytestmark = pytest.mark.django_db


def test_it_answers_with_the_request_id_the_proxy_gave(client):
    given = uuid.uuid4().hex
    response = client.get(reverse("login"), headers={"X-Request-ID": given})
    assert response["X-Request-ID"] == given
    assert len(client.get(reverse("login"))["X-Request-ID"]) == 32  # made when none was given


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_under_a_request_id_runs_under_it_in_a_real_worker():
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()
    seen = []

    def remember(sender=None, **_kw):
        if sender.name == notifications_redeliver_task.name:
            seen.append(get_guid())

    # Connected after django-guid's own receiver, so it sees the id the worker took from the message.
    signals.task_prerun.connect(remember, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            set_guid("4a1f" * 8)  # what the middleware does for a request
            notifications_redeliver_task.delay()
            set_guid(None)
            deadline = time.monotonic() + 30
            while not seen and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        signals.task_prerun.disconnect(remember)
    assert seen == ["4a1f" * 8]


def test_a_json_log_line_carries_the_request_id():
    set_guid("b7" * 16)
    record = logging.LogRecord("hruf.test", logging.WARNING, __file__, 1, "the outbox grows", None, None)
    CorrelationId().filter(record)
    formatter = JsonFormatter(settings_fmt(), rename_fields={"correlation_id": "request_id"})
    line = json.loads(formatter.format(record))
    assert (line["request_id"], line["message"], line["levelname"]) == ("b7" * 16, "the outbox grows", "WARNING")


def settings_fmt():
    from django.conf import settings

    return settings.LOGGING["formatters"]["json"]["fmt"].replace(" %(celery_current_id)s", "")
