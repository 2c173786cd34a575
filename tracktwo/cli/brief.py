"""``tracktwo brief``: a dialogue's draft brief to a file, or the recipient of a leaked copy.

    tracktwo brief DIALOGUE [--session N] [--format md|html|pdf] [-o FILE]
    tracktwo brief trace FILE

The operator holds the keys, so no account is needed; each run writes an audit row
(``brief.exported`` or ``brief.traced``, actor ``operator``). Without ``-o`` the brief
goes to standard output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracktwo.cli import UsageError, start_django

FORMATS = ("md", "html", "pdf")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target", metavar="DIALOGUE|trace", help="a dialogue id, or 'trace' to trace a leak"
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="with 'trace': the leaked copy")
    parser.add_argument("--session", type=int, help="brief on this session number only")
    parser.add_argument("--format", choices=FORMATS, default="md", help="md (default), html or pdf")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")


def _export(args: argparse.Namespace) -> int:
    try:
        dialogue_id = int(args.target)
    except ValueError:
        raise UsageError(f"{args.target!r} is not a dialogue id (a number) or 'trace'") from None
    if args.file is not None:
        raise UsageError("give the output file with -o FILE")
    start_django()
    from tracktwo.dialogues.queries.reading import get_dialogue
    from tracktwo.practice.errors import DialogueError
    from tracktwo.safety.datakeys import DataKeyUnavailable
    from tracktwo.safety.keys import MasterKeyError
    from tracktwo.transfer import actions

    try:
        dialogue = get_dialogue(dialogue_id)
        session = actions.session_of(dialogue, args.session)
        rendered = actions.render_draft(dialogue, session, args.format, None)
    except DialogueError as exc:
        raise UsageError(f"dialogue {dialogue_id}: {exc}") from None
    except (DataKeyUnavailable, MasterKeyError) as exc:
        raise UsageError(str(exc)) from None
    if args.output is None:
        sys.stdout.buffer.write(rendered.body)
        sys.stdout.flush()
        return 0
    try:
        args.output.write_bytes(rendered.body)
    except OSError as exc:
        raise UsageError(f"-o {args.output}: cannot write it ({exc.strerror})") from None
    print(f"wrote {rendered.filename} ({len(rendered.body)} bytes) to {args.output}")
    return 0


def _trace(args: argparse.Namespace) -> int:
    if args.file is None:
        raise UsageError("give the leaked copy: tracktwo brief trace FILE")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror})") from None
    start_django()
    from tracktwo.practice.errors import DialogueError
    from tracktwo.transfer import trace

    try:
        found = trace.trace(data, None)
    except DialogueError as exc:
        raise UsageError(f"{path}: {exc}") from None
    for method, what in found.evidence:
        print(f"mark: {method}: {what}")
    if found.conflicting:
        print("the marks name different copies: the file was tampered with or combined")
        return 1
    if found.recipient is None:
        print("no recipient found: the file carries no mark of an issued copy")
        return 1
    copy = found.recipient
    print(
        f"copy {copy.position} of brief {copy.brief_id} (code {copy.code}), "
        f"issued to account {copy.user.get_username()!r}"
    )
    return 0


def run(args: argparse.Namespace) -> int:
    if args.target == "trace":
        return _trace(args)
    return _export(args)
