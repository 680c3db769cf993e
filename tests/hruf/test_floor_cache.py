"""What every page reads before its own content (issue 17, item 2): the reader's scope and unread count come
from the cache the writes keep, a role change is seen on the very next request, and a cache that cannot be
reached costs the page nothing but the database reads it saved."""

import socket

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hruf.models import Role, RoleAssignment
from hruf.notifications import notification_mark_read, notify

from ..factories import CountryFactory, grant

INBOX = "/inbox/"


@pytest.fixture(autouse=True)
def floor_cache(settings):
    """The floor's cache as production has it (the other tests measure pages without it)."""
    settings.CACHES = {**settings.CACHES, "floor": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                    "LOCATION": "floor-tests"}}
    caches["floor"].clear()


def _queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_second_page_reads_neither_roles_nor_the_unread_count(login, officer_a, country_a):
    client = login(officer_a)
    caches["floor"].clear()  # signing in read the scope already
    first = _queries(client, INBOX)
    second = _queries(client, INBOX)
    roles = [q for q in first if "hruf_roleassignment" in q and "user_id" in q]
    assert roles and not [q for q in second if q in roles]
    assert len(second) == len(first) - 2  # the scope and the unread count


def test_a_role_given_or_taken_is_seen_on_the_next_request(login, officer_a, country_a, region_a):
    other = CountryFactory(name="Country Z", region=region_a)
    client = login(officer_a)
    assert client.get(reverse("scans:country_detail", args=[other.iso3])).status_code == 404
    grant(officer_a, Role.OFFICER, country=other)  # moves the access epoch: the session ends with it
    client = login(officer_a)
    assert client.get(reverse("scans:country_detail", args=[other.iso3])).status_code == 200
    RoleAssignment.objects.get(user=officer_a, country=other).delete()
    officer_a.refresh_from_db()
    client = login(officer_a)
    assert client.get(reverse("scans:country_detail", args=[other.iso3])).status_code == 404


def test_the_unread_count_follows_new_notifications_and_reading(login, officer_a, country_a):
    client = login(officer_a)
    assert 'class="badge' not in _badge(client)
    notify(recipients=[officer_a], code="followup.scan_reminder", params={"country": "Country A", "period": "2026-Q3", "date": "2026-10-15"})
    assert ">1<" in _badge(client)
    notify(recipients=[officer_a], code="followup.scan_reminder", params={"country": "Country A", "period": "2026-Q4", "date": "2027-01-15"})
    assert ">2<" in _badge(client)
    notification_mark_read(actor=officer_a)
    assert 'class="badge' not in _badge(client)


def _badge(client) -> str:
    html = client.get("/alerts/").content.decode()
    start = html.index('href="/inbox/"')
    return html[start:start + 300]


@pytest.fixture
def dead_redis(settings):
    """A cache whose Redis is not there: a port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = {"BACKEND": "hruf.cache.ForgivingRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    settings.CACHES = {"default": dead, "floor": dead, "fragments": dead, "figures": dead}


def test_pages_read_the_database_when_the_cache_is_unreachable(dead_redis, login, officer_a, country_a):
    assert caches["floor"].get("anything", "missing") == "missing"
    assert caches["floor"].down_until > 0  # the next calls do not wait for the dead server again
    notify(recipients=[officer_a], code="followup.scan_reminder", params={"country": "Country A", "period": "2026-Q3", "date": "2026-10-15"})
    client = login(officer_a)
    assert ">1<" in _badge(client)
    assert client.get(reverse("scans:country_detail", args=[country_a.iso3])).status_code == 200
