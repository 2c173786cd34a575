"""``tracktwo rank BALLOTS.csv``: the Schulze ranking of candidate joint texts.

The file holds one ballot per line, candidates from most to least preferred,
comma-separated, no header; a blank line is an empty ballot. Pure computation: this
module imports no Django.
"""

from __future__ import annotations

import argparse
import json

from tracktwo.analysis.schulze import BallotError, SchulzeResult, read_ballots, schulze
from tracktwo.cli import UsageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "ballots",
        metavar="BALLOTS.csv",
        help="one ballot per line, candidates best first, comma-separated, no header",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"winner": ..., "order": [...], "ties": [[...], ...]}',
    )


def summary_lines(result: SchulzeResult) -> list[str]:
    """A readable ranking: position (shared by ties), candidate, pairwise record."""
    counted = result.n_ballots - result.n_empty
    lines = [
        f"Schulze ranking (winning votes) of {len(result.candidates)} candidates "
        f"from {counted} ballots ({result.n_empty} empty ballots ignored)",
        "",
    ]
    index = {name: i for i, name in enumerate(result.candidates)}
    beats = result.strength > result.strength.T
    width = max(len("candidate"), *(len(name) for name in result.order))
    lines.append(f"{'rank':>4}  {'candidate':<{width}}  beats  beaten by")
    position = 0
    previous: tuple[str, ...] | None = None
    for place, name in enumerate(result.order, start=1):
        group = next((g for g in result.ties if name in g), (name,))
        if group != previous:
            position = place
            previous = group
        label = f"={position}" if len(group) > 1 else str(position)
        i = index[name]
        lines.append(
            f"{label:>4}  {name:<{width}}  {int(beats[i].sum()):>5}  {int(beats[:, i].sum()):>9}"
        )
    lines.append("")
    if result.winner_is_tied:
        tied = ", ".join(result.ties[0])
        lines.append(
            f"Winner: {result.winner} by the tie rule (first to appear in the file); "
            f"the method cannot separate {tied}."
        )
    else:
        lines.append(f"Winner: {result.winner}")
    for group in result.ties:
        if not (result.winner_is_tied and group == result.ties[0]):
            lines.append(f"Tied (cannot be separated): {', '.join(group)}")
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        ballots = read_ballots(args.ballots)
    except BallotError as exc:
        raise UsageError(str(exc)) from None
    try:
        result = schulze(ballots)
    except BallotError as exc:
        raise UsageError(f"{args.ballots}: {exc}") from None
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print("\n".join(summary_lines(result)))
    return 0
