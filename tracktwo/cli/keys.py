"""``tracktwo keys``: rotate the master key or an initiative's data key; emergency wipe.

- ``tracktwo keys rotate [--keep-old]``: a new master key file; every data key is
  re-wrapped in one transaction; the old file is shredded, or kept as a timestamped
  backup with ``--keep-old``.
- ``tracktwo keys rotate --initiative ID``: a new data key for one initiative, its rows
  re-encrypted in one transaction.
- ``tracktwo keys wipe --initiative ID --yes``: destroy the initiative's data key, delete
  its rows, and rotate the master key so old backups cannot be read.
- ``tracktwo keys status``: which initiatives have keys, and under which master key.
- ``tracktwo keys create``: the first master key file of an installation (production never
  generates one by itself); refused when the file exists.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from tracktwo.cli import UsageError, start_django


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    rotate = actions.add_parser(
        "rotate",
        help="rotate the master key, or one initiative's data key",
        description="Without --initiative: write a new master key file and re-wrap every "
        "data key under it (the old file is shredded unless --keep-old). With --initiative: "
        "re-encrypt that initiative's rows under a new data key.",
    )
    rotate.add_argument("--initiative", type=int, metavar="ID", help="rotate this data key")
    rotate.add_argument(
        "--keep-old",
        action="store_true",
        help="keep the old master key file as <file>.old-<UTC time> (for restoring backups)",
    )
    wipe = actions.add_parser(
        "wipe",
        help="emergency wipe of one initiative (cannot be undone)",
        description="Destroy the initiative's data key, delete all its rows, then rotate the "
        "master key so that old database backups cannot be read. Audit rows are kept.",
    )
    wipe.add_argument("--initiative", type=int, metavar="ID", required=True)
    wipe.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    actions.add_parser("status", help="list data keys and the master key they are wrapped by")
    actions.add_parser(
        "create",
        help="write the installation's first master key file (refused if it exists)",
        description="Write a new master key to TRACKTWO_MASTER_KEY_FILE (mode 600), once, on "
        "the first machine of an installation; copy it to the other app and worker machines "
        "over a secure channel and keep an offline copy. Refused when the file exists: "
        "replace a key with 'tracktwo keys rotate'.",
    )


def _guarded(action: Callable[[], int]) -> int:
    """Turn the errors an operator can fix into one-line usage errors."""
    from django.db import DatabaseError

    from tracktwo.practice.errors import DialogueError
    from tracktwo.safety.datakeys import DataKeyUnavailable
    from tracktwo.safety.keys import MasterKeyError

    try:
        return action()
    except (MasterKeyError, DataKeyUnavailable, DialogueError) as exc:
        raise UsageError(str(exc)) from None
    except DatabaseError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(
            f"the database is not ready ({first}): run 'tracktwo migrate' first"
        ) from None


def _rotate(args: argparse.Namespace) -> int:
    from tracktwo.initiatives import actions as initiative_actions
    from tracktwo.safety import actions

    if args.initiative is not None:
        if args.keep_old:
            raise UsageError("--keep-old applies to the master key, not to --initiative")
        rotation = initiative_actions.rotate_initiative_key(args.initiative, None)
        print(
            f"initiative {rotation.initiative_id}: data key rotated to version "
            f"{rotation.version}, {rotation.values_resealed} values re-encrypted"
        )
        return 0
    master = actions.rotate_master_key(keep_old=args.keep_old)
    kept = (
        f"the old key is kept at {master.kept_old_key_at}: store it offline or shred it"
        if master.kept_old_key_at
        else "the old key was shredded"
    )
    print(
        f"master key {master.path} rotated to {master.fingerprint}: "
        f"{master.data_keys_rewrapped} data keys re-wrapped; {kept}"
    )
    return 0


def _wipe(args: argparse.Namespace) -> int:
    from tracktwo.initiatives import actions as initiative_actions

    if not args.yes:
        raise UsageError(
            f"refusing to wipe initiative {args.initiative} without --yes: this destroys its "
            "key and deletes all its dialogues, and cannot be undone"
        )
    wiped = initiative_actions.wipe_initiative(args.initiative, None)
    counts = ", ".join(f"{n} {kind}" for kind, n in wiped.deleted.items() if n)
    print(
        f"initiative {wiped.initiative_id} wiped: data key destroyed; deleted {counts or 'no rows'}"
    )
    if not wiped.master_rotated:
        print(f"tracktwo keys wipe: warning: {wiped.warning}", file=sys.stderr)
        return 1
    print("master key rotated: old database backups can no longer be read; take a new backup")
    return 0


def _create(args: argparse.Namespace) -> int:
    from tracktwo.safety import datakeys, keys

    path = keys.master_key_path()
    key = keys.create_master_key(path)
    print(f"master key written: {path} (mode 600, fingerprint {datakeys.fingerprint(key)})")
    print("copy it to every app and worker machine over a secure channel; keep an offline copy")
    return 0


def _status(args: argparse.Namespace) -> int:
    from tracktwo.safety import datakeys, keys
    from tracktwo.safety.models import InitiativeKey

    path = keys.master_key_path()
    current = datakeys.fingerprint(keys.master_key()) if keys.key_file_exists(path) else None
    print(f"master key: {path} ({current or 'missing'})")
    rows: list[Any] = list(InitiativeKey.objects.order_by("initiative_id"))
    for row in rows:
        state = "current" if row.master_fingerprint == current else "OTHER MASTER KEY"
        print(
            f"initiative {row.initiative_id}: data key v{row.version}, "
            f"wrapped by {row.master_fingerprint} ({state})"
        )
    if not rows:
        print("no initiatives")
    return 0


def run(args: argparse.Namespace) -> int:
    start_django(migrated=False)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "rotate": _rotate,
        "wipe": _wipe,
        "status": _status,
        "create": _create,
    }
    return _guarded(lambda: handlers[args.action](args))
