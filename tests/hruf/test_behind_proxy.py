"""Behind a proxy (issue 15, item 4): the real client's address from trusted proxies only, a lock-out that
nobody elsewhere can turn against a colleague, and the deployed settings that `check --deploy` accepts."""

import datetime as dt
import ipaddress
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from hruf.api.throttling import AnonRate
from hruf.client import client_address
from hruf.models import AuditEvent
from hruf.sign_in import account_wait

from ..conftest import pass_second_factor

PROXY = "172.30.0.10"
COLLEAGUE, STRANGER = "198.51.100.5", "203.0.113.9"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network(PROXY)]


def _request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_the_header_is_believed_only_from_a_trusted_proxy(behind_proxy):
    assert client_address(_request(PROXY, COLLEAGUE)) == COLLEAGUE
    # A client that writes the header itself: the proxy appends the real address, which is taken.
    assert client_address(_request(PROXY, f"10.9.9.9, {STRANGER}")) == STRANGER
    # Straight to the app, not through the proxy: the header is the client's own words.
    assert client_address(_request(STRANGER, "10.9.9.9")) == STRANGER
    assert client_address(_request(PROXY, "not an address")) == PROXY
    assert client_address(_request(PROXY)) == PROXY


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(PROXY, COLLEAGUE)) == PROXY


def _sign_in(address: str, username: str, password: str):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_stranger_elsewhere_cannot_lock_a_colleague_out(behind_proxy, officer_a, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    officer_a.set_password(PASSWORD)
    officer_a.save()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):  # as many as it takes to lock the stranger out
        time_machine.shift(dt.timedelta(seconds=settings.SIGN_IN_MAX_WAIT_SECONDS))
        _sign_in(STRANGER, officer_a.username, "guess")
    time_machine.shift(dt.timedelta(seconds=settings.SIGN_IN_MAX_WAIT_SECONDS))
    locked = _sign_in(STRANGER, officer_a.username, PASSWORD)
    assert locked.status_code == 429  # the stranger's address is locked out of the account
    # The account is slowed for everyone, for seconds: right after a failure, even the right password waits.
    _sign_in(STRANGER, officer_a.username, "guess")
    slowed = _sign_in(COLLEAGUE, officer_a.username, PASSWORD)
    assert slowed.status_code == 200 and "try again in" in slowed.content.decode()
    time_machine.shift(dt.timedelta(seconds=settings.SIGN_IN_MAX_WAIT_SECONDS))
    signed_in = _sign_in(COLLEAGUE, officer_a.username, PASSWORD)
    assert signed_in.status_code == 302, signed_in.content.decode()[:500]


def test_the_wait_grows_with_each_failure(officer_a, time_machine, settings):
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False)
    waits = []
    for i in range(settings.SIGN_IN_SLOW_AFTER + 4):  # each from another address: no address is locked
        time_machine.shift(dt.timedelta(seconds=settings.SIGN_IN_MAX_WAIT_SECONDS))
        Client(REMOTE_ADDR=f"198.51.100.{i + 10}").post(reverse("login"), {"username": officer_a.username,
                                                                          "password": "wrong"})
        waits.append(account_wait(officer_a.username, timezone.now()))
    assert waits == [0, 0, 1, 2, 4, 8, 16]


def test_the_audit_trail_and_token_use_record_the_real_client(behind_proxy, officer_a):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=COLLEAGUE)
    client.force_login(officer_a)
    pass_second_factor(client, officer_a)
    assert client.post("/api/v1/token/", {"name": "script"}, content_type="application/json").status_code == 201
    assert AuditEvent.objects.get(object_type="hruf.apitoken").ip_address == COLLEAGUE


def test_the_anonymous_api_limit_counts_the_real_client(behind_proxy):
    throttle = AnonRate()
    assert throttle.get_ident(_request(PROXY, COLLEAGUE)) == COLLEAGUE
    assert throttle.get_ident(_request(STRANGER, "1.2.3.4")) == STRANGER  # a spoofed header changes nothing


def _operator_value(name: str) -> str:
    return Fernet.generate_key().decode() if name == "EVIDENCE_KEYS" else secrets.token_urlsafe(50)


def test_check_deploy_is_clean_with_the_settings_compose_passes(tmp_path):
    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "DJANGO_SETTINGS_MODULE": "hruf.settings",
           "HRUF_VAR_DIR": str(tmp_path)}
    for name, value in compose["x-app-env"].items():
        # ${NAME:-default} takes its default, ${NAME:?...} a value of its own (as an operator would give).
        resolved = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))
        resolved = re.sub(r"\$\{([A-Z_]+):\?[^}]*\}", lambda m: _operator_value(m.group(1)), resolved)
        env[name] = resolved
    env.update(SITE_URL="https://hruf.example.org", ALLOWED_HOSTS="hruf.example.org,127.0.0.1",
               CSRF_TRUSTED_ORIGINS="https://hruf.example.org", DATABASE_URL="sqlite:///" + str(tmp_path / "db.sqlite3"))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env=env,
                            capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
