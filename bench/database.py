"""The bench database: created when missing, migrated, and regenerated only when the data it holds
was made for another size or month (the marker is kept as the database's comment)."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql


def _admin(url: str):
    """A connection to the server's maintenance database, to create or drop the bench's."""
    parts = urlsplit(url)
    conn = psycopg2.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username,
                            password=parts.password, dbname="postgres")
    conn.autocommit = True
    return conn, parts.path.lstrip("/")


def create_if_missing(url: str) -> None:
    conn, name = _admin(url)
    # Not `with conn`: since psycopg2 2.9 that opens a transaction even in autocommit, and
    # CREATE DATABASE refuses to run inside one.
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if not cursor.fetchone():
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def _comment() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def prepare(url: str, marker, *, regenerate: bool) -> bool:
    """Migrate; True when the data must be generated (the database was emptied for it)."""
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    wanted = marker(timezone.localdate())
    if regenerate or _comment() != wanted:
        connections.close_all()
        conn, name = _admin(url)
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        conn.close()
        call_command("migrate", verbosity=0)
        return True
    call_command("migrate", verbosity=0)  # migrations added since the data was made; their tables stay empty
    return False


def mark(marker) -> None:
    from django.db import connection
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("COMMENT ON DATABASE {} IS %s").format(sql.Identifier(connection.settings_dict["NAME"])),
                       [marker(timezone.localdate())])
