"""Production settings pass Django's deployment checks; sensitive pages are never cached; health."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse


def test_the_production_settings_pass_check_deploy(tmp_path):
    # DJANGO_ALLOW_ASYNC_UNSAFE is the browser tests' own (Playwright's loop in the test thread).
    test_only = {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(
        DJANGO_SETTINGS_MODULE="hruf.settings", HRUF_VAR_DIR=str(tmp_path), DEBUG="false",
        SECRET_KEY="x7#Kp2!vQ9zL$4mW8rT1yU6iO3aS5dF0gH-jZ&cX+bN=eR%tY^uI*oP(qA)wE_sD[fG]hJ",
        SECURE_COOKIES="true", SECURE_SSL_REDIRECT="true", SECURE_HSTS_PRELOAD="true", ALLOWED_HOSTS="hruf.example.org",
        EVIDENCE_KEYS=Fernet.generate_key().decode(),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_for_signed_in_people_are_not_stored(login, officer_a):
    response = login(officer_a).get(reverse("home"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_endpoint_reports_database_and_broker(client, settings):
    response = client.get(reverse("health"))
    report = response.json()
    assert response.status_code == 200 and report["database"] is True and report["broker"] is True
    assert isinstance(report["workers"], int)
