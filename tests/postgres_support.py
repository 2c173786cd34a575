"""Reaching the test's PostgreSQL database from a second connection of its own: to end
another connection's backend (as a restarted server would) or read what it last ran."""

from __future__ import annotations

import psycopg
from django.conf import settings


def _other() -> psycopg.Connection[tuple[object, ...]]:
    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
        dbname=db["NAME"], autocommit=True,
    )  # fmt: skip


def terminate_backend(pid: int) -> None:
    """End the backend ``pid`` (waiting up to 5 s for it to go)."""
    with _other() as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def last_query(pid: int) -> str:
    """The last query the backend ``pid`` ran, or ``(gone)``."""
    with _other() as other:
        row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
        return "(gone)" if row is None else str(row[0])
