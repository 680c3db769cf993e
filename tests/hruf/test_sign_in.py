"""Lock-out after repeated failures, keyed on account and address together."""

import datetime as dt

import pytest
from axes.models import AccessLog
from django.urls import reverse

from ..factories import UserFactory

PASSWORD = "correct horse battery"


@pytest.fixture
def person(db):
    return UserFactory(username="amina")


def _sign_in(client, password, address):
    return client.post(reverse("login"), {"username": "amina", "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_from_that_address_only(client, person, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)

    def after_the_wait(password, address):  # each attempt after the account's growing wait (hruf/sign_in.py)
        time_machine.shift(dt.timedelta(seconds=settings.SIGN_IN_MAX_WAIT_SECONDS))
        return _sign_in(client, password, address)

    for _ in range(4):
        assert after_the_wait("wrong", "10.0.0.1").status_code == 200
    assert after_the_wait("wrong", "10.0.0.1").status_code == 429  # the fifth failure locks
    locked = after_the_wait(PASSWORD, "10.0.0.1")
    assert locked.status_code == 429 and "Too many failed attempts" in locked.content.decode()
    # The same account from the person's own address still signs in: nobody locks another out at will.
    assert after_the_wait(PASSWORD, "10.0.0.2").status_code == 302


def test_failures_from_anywhere_slow_the_account_down_for_seconds(client, person, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    for i in range(settings.SIGN_IN_SLOW_AFTER):  # each from another address: none of them is locked
        _sign_in(client, "wrong", f"10.0.1.{i}")
    slowed = _sign_in(client, PASSWORD, "10.0.0.2")
    assert slowed.status_code == 200 and "try again in 1 second." in slowed.content.decode()
    time_machine.shift(dt.timedelta(seconds=1))
    assert _sign_in(client, PASSWORD, "10.0.0.2").status_code == 302


def test_every_sign_in_is_recorded(client, person):
    _sign_in(client, PASSWORD, "10.0.0.3")
    assert AccessLog.objects.filter(username="amina", ip_address="10.0.0.3").exists()
