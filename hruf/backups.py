"""Encrypted backups of the database and the private files, and their verified restore.

One backup is one file, `hruf-<UTC time>.tar.gpg`: a tar of the database (pg_dump's custom format),
the files folder (a tar of MEDIA_ROOT: exports, packs, evidence) and a manifest (row counts per table,
a SHA-256 per file and per part), encrypted with GnuPG (AES-256, a passphrase, integrity-protected).
The row counts are taken in the very snapshot pg_dump dumps (pg_export_snapshot), so a backup taken
while people work still restores to exactly its manifest.

A restore reads and checks the whole backup (decryption, then every part's checksum) before it
touches anything: a truncated backup, or one encrypted with another key, is refused and changes
nothing. Then it restores into a database and a files folder that must be empty (unless forced),
and checks every table's rows and every file's checksum against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection
from psycopg2 import sql

PREFIX, SUFFIX = "hruf-", ".tar.gpg"


class BackupError(Exception):
    """Why a backup or a restore was refused; nothing was changed."""


@dataclass
class Outcome:
    path: Path
    size: int
    seconds: float
    tables: int
    rows: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _db() -> dict:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("Backups need PostgreSQL (DATABASE_URL); a laptop on SQLite copies its var/ folder.")
    return db


def _pg_env(db: dict) -> dict[str, str]:
    env = {**os.environ, "PGHOST": str(db["HOST"] or "localhost"), "PGPORT": str(db["PORT"] or 5432),
           "PGUSER": str(db["USER"] or "")}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _connect(db: dict, name: str):
    return psycopg2.connect(dbname=name, host=db["HOST"] or "localhost", port=db["PORT"] or 5432,
                            user=db["USER"] or None, password=db["PASSWORD"] or None)


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


def _passphrase() -> str:
    if not settings.BACKUP_PASSPHRASE:
        raise BackupError("Set BACKUP_PASSPHRASE: backups are always encrypted.")
    return settings.BACKUP_PASSPHRASE


def _gpg(args: list[str], work: Path, passphrase: str) -> subprocess.CompletedProcess:
    secret = work / "passphrase"
    secret.write_text(passphrase)
    secret.chmod(0o600)
    try:
        return subprocess.run(
            ["gpg", "--batch", "--yes", "--quiet", "--no-symkey-cache", "--pinentry-mode", "loopback",
             "--passphrase-file", str(secret), "--homedir", str(work), *args],
            capture_output=True, text=True,
        )
    finally:
        secret.unlink()


def _files_tar(media: Path, target: Path) -> dict[str, str]:
    checksums = {}
    with tarfile.open(target, "w") as tar:
        for path in sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []:
            name = path.relative_to(media).as_posix()
            checksums[name] = _sha256(path)
            tar.add(path, arcname=name)
    return checksums


def backup_create(*, now: dt.datetime) -> Outcome:
    """Write one encrypted backup into BACKUP_DIR and drop those beyond BACKUP_KEEP."""
    started, db, passphrase = time.monotonic(), _db(), _passphrase()
    folder = Path(settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hruf-backup-") as tmp:
        work = Path(tmp)
        holder = _connect(db, db["NAME"])
        try:
            holder.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with holder.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = _counts(cursor)
                dump = subprocess.run(
                    ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
                     "--file", str(work / "db.dump"), db["NAME"]],
                    env=_pg_env(db), capture_output=True, text=True,
                )
        finally:
            holder.close()
        if dump.returncode != 0:
            raise BackupError(f"pg_dump failed: {dump.stderr.strip()}")
        files = _files_tar(Path(settings.MEDIA_ROOT), work / "files.tar")
        manifest = {
            "format": 1, "created_at": now.isoformat(), "database": db["NAME"], "tables": counts, "files": files,
            "parts": {part: _sha256(work / part) for part in ("db.dump", "files.tar")},
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        with tarfile.open(work / "bundle.tar", "w") as tar:
            for part in ("manifest.json", "db.dump", "files.tar"):
                tar.add(work / part, arcname=part)
        target = folder / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}{SUFFIX}"
        partial = target.with_name(target.name + ".part")  # never "the latest" until whole
        done = _gpg(["--symmetric", "--cipher-algo", "AES256", "--output", str(partial), str(work / "bundle.tar")],
                    work, passphrase)
        if done.returncode != 0:
            partial.unlink(missing_ok=True)
            raise BackupError(f"gpg could not encrypt the backup: {done.stderr.strip()}")
        partial.rename(target)
    _keep_newest(folder, settings.BACKUP_KEEP)
    return Outcome(target, target.stat().st_size, time.monotonic() - started, len(counts), sum(counts.values()),
                   len(files))


def backups_in(folder: Path) -> list[Path]:
    """Whole backups, oldest first (the name is the UTC time)."""
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.exists() else []


def _keep_newest(folder: Path, keep: int) -> None:
    for old in backups_in(folder)[:-keep]:
        old.unlink()


def _open(backup: Path, work: Path) -> dict:
    """Decrypt and unpack into `work`, check every part; the manifest. Touches nothing else."""
    if not backup.is_file():
        raise BackupError(f"No backup at {backup}.")
    opened = _gpg(["--decrypt", "--output", str(work / "bundle.tar"), str(backup)], work, _passphrase())
    if opened.returncode != 0:
        if "bad session key" in opened.stderr.lower() or "bad passphrase" in opened.stderr.lower():
            raise BackupError(f"{backup.name} was encrypted with another key (BACKUP_PASSPHRASE); nothing was changed.")
        said = (opened.stderr.strip().splitlines() or ["gpg failed"])[-1]
        raise BackupError(f"{backup.name} is damaged or truncated ({said}); nothing was changed.")
    try:
        with tarfile.open(work / "bundle.tar") as tar:
            tar.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text())
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"{backup.name} is damaged ({exc}); nothing was changed.") from None
    for part, expected in manifest["parts"].items():
        if not (work / part).is_file() or _sha256(work / part) != expected:
            raise BackupError(f"{backup.name}: {part} does not match its checksum; nothing was changed.")
    return manifest


def _prepare_database(db: dict, target: str, *, force: bool) -> None:
    admin = _connect(db, "postgres")
    admin.autocommit = True  # CREATE / DROP DATABASE cannot run in a transaction
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target])
            exists = cursor.fetchone() is not None
            if exists and _has_tables(db, target):
                if not force:
                    raise BackupError(f"The database {target} is not empty; restore into a new one, or add --force "
                                      "to replace it.")
                cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(target)))
                exists = False
            if not exists:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(target)))
    finally:
        admin.close()


def _has_tables(db: dict, name: str) -> bool:
    conn = _connect(db, name)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            return cursor.fetchone()[0] > 0
    finally:
        conn.close()


def _prepare_folder(folder: Path, *, force: bool) -> None:
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise BackupError(f"The folder {folder} is not empty; restore into a new one, or add --force to replace it.")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def backup_restore(*, backup: Path, database: str, files: Path, force: bool = False) -> Outcome:
    """Restore `backup` into the database `database` and the folder `files`, then verify both."""
    started, db = time.monotonic(), _db()
    if database == db["NAME"] and not force:
        raise BackupError(f"{database} is the database this app runs on; add --force to restore over it.")
    with tempfile.TemporaryDirectory(prefix="hruf-restore-") as tmp:
        work = Path(tmp)
        manifest = _open(backup, work)
        _prepare_database(db, database, force=force)
        _prepare_folder(files, force=force)
        restored = subprocess.run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", database,
             str(work / "db.dump")], env=_pg_env(db), capture_output=True, text=True,
        )
        if restored.returncode != 0:
            raise BackupError(f"pg_restore failed: {restored.stderr.strip()}")
        with tarfile.open(work / "files.tar") as tar:
            tar.extractall(files, filter="data")
    _verify_database(db, database, manifest["tables"])
    _verify_files(files, manifest["files"])
    return Outcome(backup, backup.stat().st_size, time.monotonic() - started, len(manifest["tables"]),
                   sum(manifest["tables"].values()), len(manifest["files"]))


def _verify_database(db: dict, name: str, expected: dict[str, int]) -> None:
    conn = _connect(db, name)
    try:
        with conn.cursor() as cursor:
            found = _counts(cursor)
    finally:
        conn.close()
    wrong: dict[str, tuple[int | None, int | None]] = {
        t: (n, found.get(t)) for t, n in expected.items() if found.get(t) != n
    }
    wrong.update({t: (None, n) for t, n in found.items() if t not in expected})
    if wrong:
        raise BackupError(f"Restored rows differ from the manifest (table: expected, found): {wrong}")


def _verify_files(folder: Path, expected: dict[str, str]) -> None:
    found = {p.relative_to(folder).as_posix(): _sha256(p) for p in folder.rglob("*") if p.is_file()}
    if found != expected:
        differ = sorted(set(found.items()) ^ set(expected.items()))
        raise BackupError(f"Restored files differ from the manifest: {differ[:10]}")
