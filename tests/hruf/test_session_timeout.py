"""Idle sessions end by themselves (SESSION_IDLE_TIMEOUT minutes), without a session write per page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hruf.models import AuditEvent

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _session_writes(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]]


def test_it_signs_out_after_thirty_idle_minutes_with_a_message(login, client, officer_a, time_machine):
    login(officer_a)
    time_machine.shift(dt.timedelta(minutes=29))
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(dt.timedelta(minutes=30, seconds=1))
    response = client.get(reverse("scans:alert_list"))
    assert response.status_code == 302 and response.url == reverse("login") + "?next=/alerts/"
    page = client.get(response.url).content.decode()
    assert "You were signed out after 30 minutes without activity" in page
    assert client.get(reverse("home")).status_code == 302  # signed out for good, not just redirected once
    assert AuditEvent.objects.filter(actor=officer_a, action="sign_out", detail__reason="idle").exists()


def test_activity_keeps_the_session_alive(login, client, officer_a, time_machine):
    login(officer_a)
    for _ in range(8):  # two hours, a page every quarter of an hour
        time_machine.shift(dt.timedelta(minutes=15))
        assert client.get(reverse("home")).status_code == 200


def test_the_timeout_follows_the_setting(login, client, officer_a, time_machine, settings):
    settings.SESSION_IDLE_TIMEOUT = 5
    login(officer_a)
    time_machine.shift(dt.timedelta(minutes=4))
    assert client.get(reverse("home")).status_code == 200
    time_machine.shift(dt.timedelta(minutes=5, seconds=1))
    assert client.get(reverse("home")).status_code == 302


def test_pages_write_the_session_at_most_once_a_minute(login, client, eosg, time_machine):
    login(eosg)
    assert _session_writes(client, reverse("home")) == []
    time_machine.shift(dt.timedelta(seconds=59))
    assert _session_writes(client, reverse("inbox")) == []
    time_machine.shift(dt.timedelta(seconds=2))
    assert len(_session_writes(client, reverse("inbox"))) == 1  # the activity stamp (and the 2FA re-check)
    assert _session_writes(client, reverse("inbox")) == []
