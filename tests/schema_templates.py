"""The schema migrated once per test process, copied wherever a test needs a migrated site.

``tracktwo migrate`` runs in a subprocess into a template (a SQLite file, or a PostgreSQL
template database) the first time a test asks; each copy takes a fraction of a migration's
time. The clusters of tests/workers copy it for their databases, and the command-line tests
for the SQLite site of their data folder (:func:`migrated_site`), unless running ``migrate``
is what the test checks. The templates are removed when the session ends (the
``schema_templates`` fixture of the root conftest), or at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import pytest


class _Templates:
    """The migrated templates of this test process: made on first use, removed at its exit."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sqlite: Path | None = None
        self.postgres: str | None = None  # the template database's name
        self.folder: Path | None = None
        self.admin = ""  # the PostgreSQL server's maintenance database, once a template is there

    def _migrate(self, database_url: str) -> None:
        assert self.folder is not None
        env = {**os.environ, "TRACKTWO_DATA_DIR": str(self.folder), "DATABASE_URL": database_url}
        env.pop("TRACKTWO_MASTER_KEY_FILE", None)
        env.pop("CACHE_URL", None)
        done = subprocess.run(
            [sys.executable, "-m", "tracktwo.cli", "migrate", "-v", "0"],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"tracktwo migrate (the clusters' template) failed: {done.stderr}")

    def _folder(self) -> Path:
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="tracktwo-cluster-template-"))
            atexit.register(self.remove)
        return self.folder

    def sqlite_copy(self, target: Path) -> None:
        """A migrated SQLite database at ``target`` (readable by its owner only)."""
        with self.lock:
            if self.sqlite is None:
                made = self._folder() / "template.sqlite3"
                self._migrate(f"sqlite:///{made}")
                with contextlib.closing(sqlite3.connect(made)) as conn:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the one file
                self.sqlite = made
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        shutil.copyfile(self.sqlite, target)

    def postgres_copy(self, admin: str, base: str, name: str) -> None:
        """Database ``name``, a copy of the migrated template (made on first use)."""
        import psycopg

        with self.lock:
            if self.postgres is None:
                self._folder()
                template = f"tracktwo_cluster_template_{uuid.uuid4().hex[:10]}"
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{template}"')
                self.admin = admin
                self.postgres = template  # removed at exit even if the migration fails
                self._migrate(f"{base}/{template}")
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.postgres}"')

    def remove(self) -> None:
        if self.postgres is not None:
            import psycopg

            with (
                contextlib.suppress(psycopg.Error),
                psycopg.connect(self.admin, autocommit=True) as conn,
            ):
                conn.execute(f'DROP DATABASE IF EXISTS "{self.postgres}" WITH (FORCE)')
            self.postgres = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder, self.sqlite = None, None


TEMPLATES = _Templates()


def migrated_site(folder: Path, name: str = "tracktwo.sqlite3") -> Path:
    """``folder`` holding a migrated SQLite database ``name`` (the site's default file name
    under its data folder): a copy of the template, as if ``tracktwo migrate`` had run there."""
    folder.mkdir(parents=True, exist_ok=True)
    TEMPLATES.sqlite_copy(folder / name)
    return folder
