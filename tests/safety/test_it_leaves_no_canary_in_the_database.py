"""Canary tests: confidential texts written through the actions never reach the database in clear.

On SQLite the raw bytes of the database file and its write-ahead log are searched; on
PostgreSQL, a ``pg_dump`` of the test database.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from canaries import CANARIES, needles, write_canaries
from django.db import connection
from factories import run_python, site_environ

HERE = Path(__file__).resolve().parent


def _leaks(blob: bytes) -> list[str]:
    return [label for label, needle in needles().items() if needle in blob]


def test_it_leaves_no_canary_in_the_sqlite_file_or_its_log(tmp_path: Path) -> None:
    database = tmp_path / "canary.sqlite3"
    result = run_python(site_environ(tmp_path, database.name), str(HERE / "canaries.py"))
    assert result.returncode == 0, result.stderr
    files = [p for p in tmp_path.iterdir() if p.name.startswith("canary.sqlite3")]
    assert database in files
    blob = b"".join(path.read_bytes() for path in files)
    assert len(blob) > 100_000
    assert _leaks(blob) == []
    # The test would see a leak: the database does hold the non-confidential seed text.
    assert b"problem-solving-workshop" in blob and b"canary-convener" in blob


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_canary_in_a_pg_dump(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_dump = shutil.which("pg_dump") or "/usr/bin/pg_dump"
    assert Path(pg_dump).exists(), "pg_dump is needed: apt-get install postgresql-client"
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(tmp_path / "keys" / "master.key"))
    write_canaries()
    settings = connection.settings_dict
    environ = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    command = [pg_dump, "--data-only", "--no-owner", "--dbname", str(settings["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    result = subprocess.run(command, env=environ, capture_output=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    dump = result.stdout
    assert b"dialogues_statement" in dump and b"problem-solving-workshop" in dump
    assert _leaks(dump) == []
    assert len(CANARIES) >= 15
