"""The PostgreSQL health check (tracktwo.site.postgresql): an idle, live connection passes
without a query sent to the server; a connection whose backend went away fails it, and
Django reconnects."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _last_query(pid: int) -> str:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
        dbname=db["NAME"], autocommit=True,
    ) as other:  # fmt: skip
        row = other.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
        return "(gone)" if row is None else str(row[0])


def _terminate(pid: int) -> None:
    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
        dbname=db["NAME"], autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def test_it_checks_postgresql_connections_without_a_query() -> None:
    assert settings.DATABASES["default"]["ENGINE"] == "tracktwo.site.postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), 'health check marker'")
        pid = int(cursor.fetchone()[0])
    assert connection.is_usable()
    # The server saw no SELECT 1: its last query is still ours.
    assert "health check marker" in _last_query(pid)

    _terminate(pid)
    assert not connection.is_usable()
    connection.close()
    with connection.cursor() as cursor:  # Django reconnects
        cursor.execute("SELECT pg_backend_pid()")
        assert int(cursor.fetchone()[0]) != pid
