"""``tracktwo import-polis PATH --title TITLE --convener NAME``: a dialogue from a Pol.is export.

Reads any export ``tracktwo analyze`` reads (a folder or a votes file); statements keep
their text and moderation, voters become participants without accounts under neutral
handles, votes keep their times. ``--parties-file`` (``participant,party`` CSV) declares
sides; without it the new initiative gets the sides named by ``--parties``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracktwo.cli import UsageError, start_django

FORMATS = (
    "problem-solving-workshop",
    "sustained-dialogue",
    "citizen-exchange",
    "track-one-and-a-half",
    "living-room",
)
REGIMES = ("chatham-house", "off-the-record", "secret")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", metavar="PATH", type=Path, help="Pol.is export folder or votes file"
    )
    parser.add_argument("--title", required=True, help="title of the new dialogue")
    parser.add_argument(
        "--convener",
        required=True,
        metavar="NAME",
        help="account that becomes the convener (see 'tracktwo facilitator add')",
    )
    parser.add_argument(
        "--parties",
        default="Side A,Side B",
        help="comma-separated side names (default: Side A,Side B)",
    )
    parser.add_argument(
        "--parties-file", type=Path, help="CSV 'participant,party' declaring each voter's side"
    )
    parser.add_argument(
        "--initiative", type=int, help="add the dialogue to this existing initiative instead"
    )
    parser.add_argument("--format", choices=FORMATS, default="citizen-exchange")
    parser.add_argument("--confidentiality", choices=REGIMES, default="chatham-house")


def run(args: argparse.Namespace) -> int:
    from tracktwo.analysis.parties import PartyInputError
    from tracktwo.analysis.polis_io import read_polis
    from tracktwo.analysis.votes import VoteInputError

    try:
        events = read_polis(args.path)
    except VoteInputError as exc:
        raise UsageError(str(exc)) from None
    start_django()
    from tracktwo.accounts.models import User
    from tracktwo.dialogues.actions.polis_exchange import import_polis
    from tracktwo.dialogues.models import Participant, Statement
    from tracktwo.initiatives import permissions
    from tracktwo.initiatives.models import Initiative
    from tracktwo.practice.errors import DialogueError
    from tracktwo.safety.keys import MasterKeyError

    user = User.objects.filter(username=args.convener, is_active=True).first()
    if user is None:
        raise UsageError(f"--convener {args.convener}: no such active account")
    initiative = None
    if args.initiative is not None:
        initiative = Initiative.objects.filter(pk=args.initiative).first()
        if initiative is None or not permissions.can_convene(user, initiative):
            raise UsageError(
                f"--initiative {args.initiative}: {args.convener} convenes no such one"
            )
    parties = [name.strip() for name in args.parties.split(",") if name.strip()]
    try:
        dialogue = import_polis(
            events,
            title=args.title,
            by=user,
            format=args.format,
            confidentiality=args.confidentiality,
            parties=parties,
            parties_file=args.parties_file,
            initiative=initiative,
        )
    except (DialogueError, PartyInputError, MasterKeyError) as exc:
        raise UsageError(str(exc)) from None
    n_statements = Statement.objects.filter(dialogue=dialogue).count()
    n_participants = Participant.objects.filter(dialogue=dialogue).count()
    print(
        f"created dialogue {dialogue.pk} (initiative {dialogue.initiative_id}): "
        f"{n_statements} statements, {n_participants} participants, {len(events)} votes"
    )
    return 0
