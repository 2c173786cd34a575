import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_it_uses_postgresql_in_the_postgresql_pass() -> None:
    expected = "postgresql" if os.environ.get("TRACKTWO_TEST_ON_POSTGRES") == "1" else "sqlite"
    assert connection.vendor == expected


def test_it_uses_wal_and_foreign_keys_on_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
