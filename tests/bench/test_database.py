"""The bench creates its own database on a fresh machine (on PostgreSQL, as `make bench` does)."""

import uuid

import psycopg2
import pytest
from django.conf import settings

from bench.database import create_if_missing

pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL (CI)"
)


def _server_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _maintenance():
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                            password=db["PASSWORD"] or None, dbname="postgres")
    conn.autocommit = True
    return conn


def _exists(name: str) -> bool:
    conn = _maintenance()
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    conn.close()
    return found


def _drop(name: str) -> None:
    conn = _maintenance()
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.close()


def test_it_creates_a_missing_bench_database_and_leaves_an_existing_one():
    name = f"hruf_bench_test_{uuid.uuid4().hex[:8]}"
    try:
        assert not _exists(name)
        create_if_missing(_server_url(name))
        assert _exists(name)
        create_if_missing(_server_url(name))  # a second run finds it and changes nothing
        assert _exists(name)
    finally:
        _drop(name)
