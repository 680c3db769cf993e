"""Settings come from the environment; a bad value stops the app with a clear message."""

import os
import subprocess
import sys

import pytest

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)"


def _run(tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environ.update(DJANGO_SETTINGS_MODULE="hruf.settings", HRUF_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", CHECK], env=environ, capture_output=True, text=True, timeout=60)


def test_it_defaults_to_sqlite_an_embedded_broker_and_no_debug(tmp_path):
    result = _run(tmp_path)
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3", "filesystem://"]
    assert (tmp_path / "secret_key").exists()


def test_it_uses_postgresql_and_redis_when_told(tmp_path):
    result = _run(tmp_path, DATABASE_URL="postgres://u@db:5432/hruf", REDIS_URL="redis://cache:6379/0")
    assert result.stdout.split() == ["False", "django.db.backends.postgresql", "redis://cache:6379/0"]


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SCAN_DUE_DAY_MONTHLY": "soon"}, "SCAN_DUE_DAY_MONTHLY='soon' is not a whole number"),
        ({"SCAN_DUE_DAY_MONTHLY": "40"}, "Scan due days must fall inside the period"),
    ],
)
def test_it_stops_with_a_clear_message_on_a_bad_value(tmp_path, env, message):
    result = _run(tmp_path, **env)
    assert result.returncode != 0 and message in result.stderr


EVIDENCE_STORE = ("import django; django.setup(); from django.core.files.storage import storages; "
                  "s = storages['evidence']; print(type(s).__name__, getattr(s, 'bucket_name', s.location))")


def test_evidence_files_go_to_a_private_folder_or_to_the_configured_bucket(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    environ.update(DJANGO_SETTINGS_MODULE="hruf.settings", HRUF_VAR_DIR=str(tmp_path))
    local = subprocess.run([sys.executable, "-c", EVIDENCE_STORE], env=environ, capture_output=True, text=True, timeout=60)
    assert local.stdout.split() == ["EncryptedFileSystemStorage", str(tmp_path / "files" / "private")], local.stderr
    environ["EVIDENCE_S3_BUCKET"] = "hruf-evidence"
    bucket = subprocess.run([sys.executable, "-c", EVIDENCE_STORE], env=environ, capture_output=True, text=True, timeout=60)
    assert bucket.stdout.split() == ["EncryptedS3Storage", "hruf-evidence"], bucket.stderr
