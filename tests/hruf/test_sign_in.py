"""Lock-out after repeated failures, keyed on account and address together."""

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


def test_five_failures_lock_the_account_from_that_address_only(client, person):
    for _ in range(4):
        assert _sign_in(client, "wrong", "10.0.0.1").status_code == 200
    assert _sign_in(client, "wrong", "10.0.0.1").status_code == 429  # the fifth failure locks
    locked = _sign_in(client, PASSWORD, "10.0.0.1")
    assert locked.status_code == 429 and "Too many failed attempts" in locked.content.decode()
    # The same account from the person's own address still signs in: nobody locks another out at will.
    assert _sign_in(client, PASSWORD, "10.0.0.2").status_code == 302


def test_every_sign_in_is_recorded(client, person):
    _sign_in(client, PASSWORD, "10.0.0.3")
    assert AccessLog.objects.filter(username="amina", ip_address="10.0.0.3").exists()
