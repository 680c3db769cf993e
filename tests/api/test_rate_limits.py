"""API rate limits: per user and per anonymous address, counted in the cache, failing open."""

import socket

import pytest
import redis
from django.urls import reverse

from hruf.api.throttling import AnonRate, UserRate


@pytest.fixture
def tight_rates(monkeypatch):
    # DRF reads the rates once, when the throttle classes are defined.
    monkeypatch.setattr(UserRate, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})
    monkeypatch.setattr(AnonRate, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})


def test_it_answers_429_in_the_error_format_past_the_users_rate(api, officer_a, tight_rates, assert_error):
    client = api(officer_a)
    for _ in range(3):
        assert client.get(reverse("region-list")).status_code == 200
    error = assert_error(client.get(reverse("region-list")), 429)
    assert error["code"] == "throttled"


def test_one_users_calls_do_not_use_up_anothers(api, officer_a, officer_b, tight_rates):
    for _ in range(4):
        api(officer_a).get(reverse("region-list"))
    assert api(officer_b).get(reverse("region-list")).status_code == 200


def test_anonymous_calls_are_limited_per_address(api, tight_rates):
    # The schema is the one API address open to anonymous callers; elsewhere they stop at 401.
    client = api()
    for _ in range(2):
        assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-schema")).status_code == 429


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_cache_outage_lets_calls_through_instead_of_failing_them(api, officer_a, settings):
    down = {
        "BACKEND": "hruf.cache.ForgivingRedisCache",
        "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": down, "floor": down}
    with pytest.raises(redis.exceptions.ConnectionError):  # the cache really is down
        redis.Redis.from_url(settings.CACHES["default"]["LOCATION"], socket_connect_timeout=1).ping()
    assert api(officer_a).get(reverse("region-list")).status_code == 200
