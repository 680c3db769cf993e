"""/health/ names late and failing sweeps; /metrics serves only the scraper; the operator page."""

import datetime as dt
import ipaddress

import pytest
import time_machine
from celery.schedules import crontab
from django.urls import reverse

from hruf import celery_app, switch
from hruf.heartbeats import heartbeat_finished, sweep_states
from hruf.models import Notification

from .conftest import all_sweeps_finish

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_switch_from_health(settings):
    settings.SWEEP_CHECK_MINUTES = 0


def _health(client, **query):
    response = client.get(reverse("health"), query)
    return response.status_code, response.json()["sweeps"]


def test_health_says_ok_when_every_sweep_is_on_time(client):
    all_sweeps_finish(T0)
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        assert _health(client) == (200, {"status": "ok", "late": [], "failing": []})
        assert _health(client, sweeps="required")[0] == 200


def test_health_names_the_late_sweeps(client):
    all_sweeps_finish(T0)
    heartbeat_finished(name="followup-overdue", now=T0 - dt.timedelta(hours=3), duration=dt.timedelta(0),
                       result={}, notified=0)
    with time_machine.travel(T0 + dt.timedelta(minutes=3), tick=False):
        status, sweeps = _health(client)
        assert (status, sweeps["status"], sweeps["late"]) == (200, "late", ["followup-overdue"])
        # An uptime monitor outside asks for the sweeps to count.
        assert _health(client, sweeps="required")[0] == 503


def test_health_names_a_failing_sweep_by_its_error_kind_only(client, schedule):
    schedule["test-raises"] = {"task": "tests.operations.sweep_that_raises", "schedule": crontab(minute="*/5")}
    all_sweeps_finish(T0)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        celery_app.tasks["tests.operations.sweep_that_raises"].apply()
        assert _health(client) == (200, {"status": "failing", "late": [],
                                         "failing": [{"name": "test-raises", "error": "RuntimeError"}]})


def _scrape(client, **headers):
    return client.get(reverse("metrics"), headers=headers)


def test_metrics_are_refused_to_anyone_but_the_scraper(client, settings, login, eosg):
    settings.METRICS_TOKEN = "s3cret-token"
    assert _scrape(client).status_code == 403
    assert _scrape(client, Authorization="Bearer wrong").status_code == 403
    assert _scrape(login(eosg)).status_code == 403  # a person, however senior, is not the scraper
    settings.METRICS_TOKEN = ""
    assert _scrape(client, Authorization="Bearer ").status_code == 403  # no token set: none accepted


def test_metrics_list_the_sweeps_the_outbox_and_the_queue(client, settings, officer_a):
    settings.METRICS_TOKEN = "s3cret-token"
    all_sweeps_finish(T0)
    heartbeat_finished(name="followup-overdue", now=T0, duration=dt.timedelta(milliseconds=1500),
                       result={"done": 4, "failed": 1}, notified=6)
    Notification.objects.create(recipient=officer_a, code="legacy", email_state="failed")
    with time_machine.travel(T0 + dt.timedelta(hours=3), tick=False):
        response = _scrape(client, Authorization="Bearer s3cret-token")
    assert response.status_code == 200
    text = response.content.decode()
    for line in [
        'hruf_sweep_last_claimed_rows{sweep="followup-overdue"} 4.0',
        'hruf_sweep_last_notifications{sweep="followup-overdue"} 6.0',
        'hruf_sweep_last_failed_rows{sweep="followup-overdue"} 1.0',
        'hruf_sweep_last_duration_seconds{sweep="followup-overdue"} 1.5',
        'hruf_sweep_late{sweep="followup-overdue"} 1.0',
        'hruf_sweep_late{sweep="followup-digests"} 0.0',
        'hruf_sweep_late_after_seconds{sweep="followup-overdue"} 7200.0',
        'hruf_outbox_notifications{state="failed"} 1.0',
        'hruf_outbox_notifications{state="pending"} 0.0',
        "hruf_task_queue_length ",
        # django-prometheus: request latency by view.
        "django_http_requests_latency_seconds_by_view_method_bucket",
    ]:
        assert line in text, line


def test_metrics_are_served_to_an_allowed_address(client, settings):
    settings.METRICS_ALLOWED_IPS = [ipaddress.ip_network("127.0.0.0/8")]
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.1.2.3").status_code == 403


def test_the_operator_page_lists_sweeps_and_outbox_in_flat_queries(
    login, eosg, officer_a, django_assert_max_num_queries, schedule
):
    all_sweeps_finish(T0)
    client = login(eosg)
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        with django_assert_max_num_queries(12) as few:
            assert client.get(reverse("operations")).status_code == 200
        # More sweeps and more mail in the outbox cost no more queries.
        for n in range(5):
            schedule[f"test-{n}"] = {"task": f"tests.operations.more_{n}", "schedule": crontab(minute=str(n))}
        Notification.objects.bulk_create(
            [Notification(recipient=officer_a, code="legacy", email_state="pending") for _ in range(20)]
        )
        sweep_states()  # a new sweep's row is made once, by its first run or check
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(reverse("operations"))
    body = response.content.decode()
    assert "followup-overdue" in body and "test-4" in body
    assert "<dd class=\"col-sm-8\">20</dd>" in body


def test_the_operator_page_shows_a_late_sweep_with_its_error(login, eosg, schedule):
    schedule["test-raises"] = {"task": "tests.operations.sweep_that_raises", "schedule": crontab(minute="*/5")}
    all_sweeps_finish(T0, but=["test-raises"])
    with time_machine.travel(T0, tick=False):
        celery_app.tasks["tests.operations.sweep_that_raises"].apply()
    with time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False):
        switch.sweeps_check()
        body = login(eosg).get(reverse("operations")).content.decode()
    assert "RuntimeError: the database went away" in body and "were told" in body
