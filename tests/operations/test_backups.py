"""Backups restore to exactly what they hold; a damaged or foreign backup, or a full target, is refused.
PostgreSQL only (pg_dump, pg_restore): CI runs these on its PostgreSQL."""

import datetime as dt

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from hruf import backups
from hruf.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL (CI)"
    ),
]


@pytest.fixture
def drill(settings, tmp_path, officer_a):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.BACKUP_PASSPHRASE = "the right one"
    (tmp_path / "files" / "exports").mkdir(parents=True)
    (tmp_path / "files" / "exports" / "scans.csv").write_text("iso3,score\nAAA,42\n")
    (tmp_path / "files" / "packs").mkdir()
    (tmp_path / "files" / "packs" / "rqr.pdf").write_bytes(bytes(range(256)) * 40)
    Notification.objects.create(recipient=officer_a, code="legacy", params={"subject": "s", "body": "b"})
    target = f"{connection.settings_dict['NAME']}_restored"
    yield tmp_path, target
    _drop(target)


def _drop(name):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def test_it_restores_the_latest_backup_with_every_row_and_file(drill, capsys):
    tmp, target = drill
    call_command("backup_create")
    call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "restored"))
    out = capsys.readouterr().out
    assert "match the manifest" in out and "2 files match" in out
    assert (tmp / "restored" / "exports" / "scans.csv").read_text() == "iso3,score\nAAA,42\n"
    # The command checked every table against the manifest; one by hand as well.
    conn = psycopg2.connect(dbname=target, host=connection.settings_dict["HOST"] or "localhost",
                            port=connection.settings_dict["PORT"] or 5432, user=connection.settings_dict["USER"])
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM hruf_notification")
        assert cursor.fetchone()[0] == 1
    conn.close()


def test_it_refuses_a_truncated_backup_and_changes_nothing(drill):
    tmp, target = drill
    call_command("backup_create")
    [backup] = backups.backups_in(tmp / "backups")
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="damaged or truncated"):
        call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "restored"))
    assert not _database_exists(target) and not (tmp / "restored").exists()


def test_it_refuses_a_backup_with_a_flipped_byte(drill):
    tmp, target = drill
    call_command("backup_create")
    [backup] = backups.backups_in(tmp / "backups")
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "restored"))
    assert not _database_exists(target)


def test_it_refuses_a_backup_encrypted_with_another_key(drill, settings):
    tmp, target = drill
    call_command("backup_create")
    settings.BACKUP_PASSPHRASE = "another one"
    with pytest.raises(CommandError, match="encrypted with another key"):
        call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "restored"))
    assert not _database_exists(target)


def test_it_refuses_a_target_that_is_not_empty_unless_forced(drill):
    tmp, target = drill
    call_command("backup_create")
    call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "restored"))
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "other"))
    (tmp / "elsewhere").mkdir()
    (tmp / "elsewhere" / "keep.txt").write_text("mine")
    _drop(target)
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "elsewhere"))
    call_command("backup_restore", "--latest", "--database", target, "--files", str(tmp / "elsewhere"), "--force")
    assert not (tmp / "elsewhere" / "keep.txt").exists()


def test_it_refuses_to_restore_over_the_live_database_unless_forced(drill):
    tmp, _target = drill
    call_command("backup_create")
    with pytest.raises(CommandError, match="the database this app runs on"):
        call_command("backup_restore", "--latest", "--database", connection.settings_dict["NAME"],
                     "--files", str(tmp / "restored"))


def test_it_keeps_only_the_newest_backups(drill, settings):
    tmp, _target = drill
    settings.BACKUP_KEEP = 2
    for day in (1, 2, 3):
        backups.backup_create(now=dt.datetime(2026, 3, day, 2, 0, tzinfo=dt.UTC))
    assert [p.name for p in backups.backups_in(tmp / "backups")] == [
        "hruf-20260302T020000Z.tar.gpg", "hruf-20260303T020000Z.tar.gpg"]
