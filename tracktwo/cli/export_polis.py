"""``tracktwo export-polis DIALOGUE -o DIR``: a dialogue in the Pol.is CSV format.

Writes ``comments.csv``, ``votes.csv`` and ``participants-votes.csv`` with freshly
randomised voter ids and no author ids (see :mod:`tracktwo.dialogues.actions.polis_exchange`).
The operator's export is recorded in the audit log. Like the API's export, it needs the
dialogue's do-no-harm assessment of the Pol.is export, and it is off while the dialogue's
risk level is high or severe (:func:`tracktwo.consent.gates.require_export_allowed`).
Conveners export through the API (``GET /api/v1/dialogues/{id}/export/polis``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracktwo.cli import UsageError, start_django

FILES = ("comments.csv", "votes.csv", "participants-votes.csv")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dialogue", metavar="DIALOGUE", type=int, help="the dialogue's id")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="DIR", help="folder to write into"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace export files already in the folder"
    )


def run(args: argparse.Namespace) -> int:
    out: Path = args.output
    if out.exists() and not out.is_dir():
        raise UsageError(f"-o {out}: exists and is not a folder")
    clashes = [name for name in FILES if (out / name).exists()]
    if clashes and not args.force:
        raise UsageError(f"-o {out}: already holds {clashes[0]} (use --force to replace)")
    start_django()
    from tracktwo.consent.gates import require_export_allowed
    from tracktwo.dialogues.actions.polis_exchange import write_export
    from tracktwo.dialogues.models import Dialogue
    from tracktwo.practice.errors import Conflict, NothingLeaves
    from tracktwo.safety.audit import Actor
    from tracktwo.safety.keys import MasterKeyError

    dialogue = Dialogue.objects.filter(pk=args.dialogue, purged_at__isnull=True).first()
    if dialogue is None:
        raise UsageError(f"no dialogue {args.dialogue}")
    try:
        require_export_allowed(dialogue)
    except Conflict as exc:
        raise UsageError(f"dialogue {dialogue.pk}: {exc.message}") from None
    try:
        written = write_export(dialogue, out, actor=Actor.operator())
    except (MasterKeyError, NothingLeaves) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"-o {out}: {exc.strerror}") from None
    for path in written:
        print(path)
    return 0
