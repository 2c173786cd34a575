"""Backup and restore of the database, never of the keys (``tracktwo backup`` / ``restore``).

A backup file is a tar archive of two members:

- ``manifest.json``: the format, the database engine, when it was made, the last migration
  of every app, and the *fingerprint* of the master key the data keys were wrapped by (a
  public name: it reveals nothing of the key);
- ``database.dump`` (PostgreSQL: ``pg_dump --format=custom``, uncompressed so that a
  reviewer can check that no confidential text is readable in it) or ``database.sqlite3``
  (SQLite: a consistent copy made with SQLite's online backup API while the site runs).

Sealed values stay sealed: the database holds them encrypted under each initiative's data
key, and the data keys only wrapped by the master key. **The master key is never in a
backup** (nor the site's secret key file): keep it apart (docs/deployment.md). So a backup
opens only with the master key it was made under -- and after an initiative's wipe, which
destroys its data key and rotates the master key (shredding the old one), that
initiative's rows in every older backup are unreadable, as is the rest of such a backup:
make a fresh backup after a wipe or a master key rotation.

Restore replaces the database's contents with the backup's (PostgreSQL: ``pg_restore
--clean`` in one transaction; SQLite: the online backup API into the live file), then
applies any newer migrations. Stop the app processes and workers first.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

FORMAT = "tracktwo-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, in one line."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    master_fingerprint: str | None
    migrations: dict[str, str]

    def as_json(self) -> bytes:
        return json.dumps(
            {"format": FORMAT, "version": VERSION, **self.__dict__}, indent=2, sort_keys=True
        ).encode()


def engine() -> str:
    vendor = connection.vendor
    if vendor not in MEMBERS:
        raise BackupError(f"backups of a {vendor} database are not supported")
    return vendor


def _master_fingerprint() -> str | None:
    from tracktwo.safety import keys
    from tracktwo.safety.datakeys import fingerprint

    try:
        return fingerprint(keys.master_key())
    except keys.MasterKeyError:
        return None


def _migrations() -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password goes in the environment."""
    db: dict[str, Any] = settings.DATABASES["default"]
    argv = []
    for flag, name in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(name):
            argv.append(f"{flag}={db[name]}")
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return [*argv, f"--dbname={db['NAME']}"], env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return found


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(argv[0]).name} failed: {lines[-1] if lines else done.returncode}")


def _dump(work: Path, kind: str) -> Path:
    out = work / MEMBERS[kind]
    if kind == "postgresql":
        options, env = _pg_environment()
        _run([_tool("pg_dump"), "--format=custom", "--compress=0", f"--file={out}", *options], env)
    else:
        connection.ensure_connection()
        live = connection.connection
        with sqlite3.connect(out) as copy:
            live.backup(copy)
        copy.close()
    return out


def write_backup(target: Path) -> Manifest:
    """Write a backup of the database to ``target`` (replaced only once complete)."""
    kind = engine()
    manifest = Manifest(
        kind, datetime.now(UTC).isoformat(timespec="seconds"), _master_fingerprint(), _migrations()
    )
    with tempfile.TemporaryDirectory(prefix="tracktwo-backup-", dir=target.parent) as tmp:
        work = Path(tmp)
        dump = _dump(work, kind)
        partial = work / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            info = tarfile.TarInfo(MANIFEST)
            body = manifest.as_json()
            info.size = len(body)
            archive.addfile(info, io.BytesIO(body))
            archive.add(dump, arcname=dump.name)
        os.chmod(partial, 0o600)
        os.replace(partial, target)
    return manifest


def read_manifest(archive: tarfile.TarFile, source: Path) -> Manifest:
    try:
        raw = archive.extractfile(MANIFEST)
    except KeyError:
        raise BackupError(f"{source}: not a tracktwo backup (no {MANIFEST})") from None
    try:
        data = json.loads(raw.read() if raw else b"")
    except ValueError:
        raise BackupError(f"{source}: {MANIFEST} is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{source}: not a tracktwo backup")
    if data.get("version") != VERSION:
        raise BackupError(f"{source}: backup format version {data.get('version')} is not known")
    return Manifest(
        str(data.get("engine")),
        str(data.get("created_at")),
        data.get("master_fingerprint"),
        dict(data.get("migrations") or {}),
    )


def open_backup(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:")
    except FileNotFoundError:
        raise BackupError(f"{source}: no such file") from None
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source}: not a tracktwo backup ({exc})") from None


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    same_master_key: bool


def restore_backup(source: Path) -> Restored:
    """Replace the database's contents with the backup's, then apply newer migrations."""
    kind = engine()
    with open_backup(source) as archive:
        manifest = read_manifest(archive, source)
        if manifest.engine != kind:
            raise BackupError(
                f"{source}: a {manifest.engine} backup cannot be restored into this "
                f"{kind} database (DATABASE_URL)"
            )
        member = MEMBERS[kind]
        with tempfile.TemporaryDirectory(prefix="tracktwo-restore-") as tmp:
            try:
                archive.extract(member, tmp, filter="data")
            except KeyError:
                raise BackupError(f"{source}: the backup has no {member}") from None
            _load(Path(tmp) / member, kind)
    _after_restore()
    return Restored(manifest, manifest.master_fingerprint == _master_fingerprint())


def _load(dump: Path, kind: str) -> None:
    if kind == "postgresql":
        connections.close_all()
        options, env = _pg_environment()
        _run(
            [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", *options, str(dump)],
            env,
        )  # fmt: skip
        return
    connection.ensure_connection()
    with sqlite3.connect(dump) as source:
        source.backup(connection.connection)
    source.close()
    connections.close_all()


def _after_restore() -> None:
    """Newer migrations, and no cached key or analysis from before the restore."""
    from django.core.management import call_command

    from tracktwo.safety.datakeys import forget_data_keys

    call_command("migrate", interactive=False, verbosity=0)
    forget_data_keys()
    if getattr(settings, "TRACKTWO_REDIS_URL", ""):
        import redis

        client = redis.Redis.from_url(settings.TRACKTWO_REDIS_URL, socket_connect_timeout=3)
        for name in client.scan_iter(match="tracktwo:insight:*", count=500):
            client.delete(name)
