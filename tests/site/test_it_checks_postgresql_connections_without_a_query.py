"""The PostgreSQL health check (tracktwo.site.postgresql): an idle, live connection passes
without a query sent to the server; a connection whose backend went away fails it, and
Django reconnects."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from postgres_support import last_query, terminate_backend

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_it_checks_postgresql_connections_without_a_query() -> None:
    assert settings.DATABASES["default"]["ENGINE"] == "tracktwo.site.postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), 'health check marker'")
        pid = int(cursor.fetchone()[0])
    assert connection.is_usable()
    # The server saw no SELECT 1: its last query is still ours.
    assert "health check marker" in last_query(pid)

    terminate_backend(pid)
    assert not connection.is_usable()
    connection.close()
    with connection.cursor() as cursor:  # Django reconnects
        cursor.execute("SELECT pg_backend_pid()")
        assert int(cursor.fetchone()[0]) != pid
