"""``tracktwo restore FILE``: replace the database's contents with a backup's.

Stop every ``tracktwo serve`` and ``tracktwo worker`` first. Asks for confirmation on a
terminal; elsewhere give ``--yes``. Newer migrations are applied after the restore. The
backup's sealed values open only with the master key it was made under: if that is not the
current key (after a rotation or a wipe), the restored rows stay unreadable.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracktwo.cli import UsageError, start_django


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="FILE", help="a file from 'tracktwo backup'")
    parser.add_argument("--yes", action="store_true", help="replace the database without asking")


def _confirmed(args: argparse.Namespace) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("this replaces the whole database: add --yes to confirm")
    answer = input("Replace the whole database with this backup? Type 'restore': ")
    return answer.strip() == "restore"


def run(args: argparse.Namespace) -> int:
    source: Path = args.file
    if not source.is_file():
        raise UsageError(f"{source}: no such file")
    start_django(migrated=False)
    from tracktwo.safety.backup import BackupError, open_backup, read_manifest, restore_backup

    try:
        with open_backup(source) as archive:
            manifest = read_manifest(archive, source)
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    print(f"{source}: a {manifest.engine} backup made {manifest.created_at}")
    if not _confirmed(args):
        print("not restored")
        return 1
    try:
        restored = restore_backup(source)
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    print(f"restored {source}")
    if not restored.same_master_key:
        print(
            f"warning: the backup was made under master key {manifest.master_fingerprint}, "
            "not the current one: its sealed contents stay unreadable without that key file",
            file=sys.stderr,
        )
    return 0
