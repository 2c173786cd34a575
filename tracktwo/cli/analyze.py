"""``tracktwo analyze PATH``: opinion groups and common ground of a Pol.is export.

PATH is a Pol.is export folder (2021 or 2025 style, or the API's votes.json/comments.json)
or one of its votes files. Prints a readable summary, or with ``--json`` the documented JSON
form (``docs/analysis.schema.json``). The summary names statements, never participants.
Pure computation: this module imports no Django, and the engine only when a command runs (so
that ``tracktwo --help`` and small conversations start fast).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tracktwo.analysis.cadence import POLIS_CADENCE, PollCadence
from tracktwo.analysis.result import AnalysisParams
from tracktwo.analysis.votes import VoteEvents, VoteInputError
from tracktwo.cli import UsageError

if TYPE_CHECKING:
    from tracktwo.analysis.cross_party import CrossPartyReport
    from tracktwo.analysis.replay import Batching
    from tracktwo.analysis.result import AnalysisResult

SHOWN = 5  # statements per list in the summary
LARGE = 1_000_000  # vote events above which the phases are reported on stderr


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        metavar="PATH",
        help="a Pol.is export folder (votes.csv or participants-votes.csv, comments.csv; "
        "or votes.json, comments.json) or one of its votes files",
    )
    parser.add_argument("--json", action="store_true", help="print the JSON form of the result")
    parser.add_argument(
        "--max-groups", metavar="K", default="5", help="most opinion groups to consider (5)"
    )
    parser.add_argument("--seed", metavar="N", default="0", help="seed of the analysis (0)")
    parser.add_argument(
        "--replay",
        action="store_true",
        help="replay the votes in time order, updating as Pol.is's worker did: one update "
        "on the votes of every poll (each second) since the last update (needs vote times: "
        "votes.csv or votes.json; without them, participant by participant in 1%% batches)",
    )
    parser.add_argument(
        "--replay-updates",
        metavar="N",
        default=None,
        help=f"most replay batches: consecutive Pol.is updates are merged to stay within N "
        f"({POLIS_CADENCE.max_batches}); 0 replays every update (slow on long conversations)",
    )
    parser.add_argument(
        "--replay-update-seconds",
        metavar="SECONDS",
        default=None,
        help="how long one Pol.is update takes: votes arriving meanwhile wait for the next one (0)",
    )
    parser.add_argument(
        "--replay-without-restart",
        action="store_true",
        help="end the replay on the last update, without the reload and update a restart of "
        "Pol.is's worker makes after the last vote (which a replay ends with by default)",
    )
    parser.add_argument(
        "--replay-batch",
        metavar="FRACTION",
        default=None,
        help="instead of Pol.is's schedule, cut the replay into batches of this share of all votes",
    )
    parser.add_argument(
        "--parties",
        metavar="PARTIES.csv",
        default=None,
        help="declared sides (CSV with header participant,party): adds per-side support, "
        "cross-side common ground, shared rejection, divides and bridging scores",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _whole(option: str, text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise UsageError(f"{option} must be a whole number, got {text!r}") from None
    if value < low:
        raise UsageError(f"{option} must be at least {low}, got {value}")
    return value


def params_from(args: argparse.Namespace) -> AnalysisParams:
    max_groups = _whole("--max-groups", args.max_groups, 1)
    seed = _whole("--seed", args.seed, 0)
    try:
        return AnalysisParams(max_groups=max_groups, min_groups=min(2, max_groups), seed=seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def replay_batching(args: argparse.Namespace) -> Batching:
    """The replay's batches: Pol.is's poll schedule (default) or a share of the votes."""
    options = ("--replay-updates", "--replay-update-seconds", "--replay-batch")
    given = [o for o in options if getattr(args, o[2:].replace("-", "_")) is not None]
    if args.replay_without_restart and not args.replay:
        raise UsageError("--replay-without-restart needs --replay")
    if given and not args.replay:
        raise UsageError(f"{given[0]} needs --replay")
    if args.replay_batch is not None:
        if len(given) > 1:
            raise UsageError(f"--replay-batch replaces Pol.is's schedule: drop {given[0]}")
        return _fraction(args.replay_batch)
    cadence = POLIS_CADENCE
    if args.replay_updates is not None:
        most = _whole("--replay-updates", args.replay_updates, 0)
        cadence = PollCadence(max_batches=most or None)
    if args.replay_update_seconds is not None:
        try:
            seconds = float(args.replay_update_seconds)
        except ValueError:
            seconds = float("nan")
        if not (seconds >= 0.0 and seconds != float("inf")):
            raise UsageError(
                f"--replay-update-seconds must be a number of seconds, at least 0, "
                f"got {args.replay_update_seconds!r}"
            )
        cadence = PollCadence(update_seconds=seconds, max_batches=cadence.max_batches)
    return cadence


def _fraction(text: str) -> float:
    try:
        fraction = float(text)
    except ValueError:
        raise UsageError(f"--replay-batch must be a number, got {text!r}") from None
    if not 0.0 < fraction <= 1.0:
        raise UsageError(f"--replay-batch must be above 0 and at most 1, got {text}")
    return fraction


class Progress:
    """Progress lines on stderr (one line rewritten on a terminal); silent when quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last_tenth = -1

    def say(self, message: str) -> None:
        if not self.quiet:
            print(f"tracktwo analyze: {message}", file=sys.stderr, flush=True)

    def batch(self, done: int, total: int, result: AnalysisResult) -> None:
        if self.quiet:
            return
        tenth = done * 10 // total
        line = (
            f"replay batch {done}/{total}: {result.n_votes:,} votes, "
            f"{len(result.participant_ids):,} participants, {result.n_groups} groups "
            f"({time.monotonic() - self.start:.0f} s)"
        )
        if self.tty:
            end = "\n" if done == total else ""
            print(f"\rtracktwo analyze: {line}", end=end, file=sys.stderr, flush=True)
        elif tenth != self.last_tenth or done == total:
            self.say(line)
        self.last_tenth = tenth


def run(args: argparse.Namespace) -> int:
    from tracktwo.analysis.engine import analyze
    from tracktwo.analysis.polis_io import read_polis
    from tracktwo.analysis.replay import replay

    params = params_from(args)
    batching = replay_batching(args)
    progress = Progress(args.quiet)
    path = Path(args.path)
    try:
        events = read_polis(path)
    except VoteInputError as exc:
        raise UsageError(str(exc)) from None
    if len(events) > LARGE:
        progress.say(f"read {len(events):,} votes from {path}; analysing")
    if args.replay:
        from tracktwo.analysis.heap import keep_freed_heap

        keep_freed_heap()  # each update frees what the next allocates again
    try:
        if args.replay:
            result = replay(
                events,
                params,
                batching,
                progress.batch,
                restart_at_end=not args.replay_without_restart,
            )
        else:
            result = analyze(events, params)
    except VoteInputError as exc:
        raise UsageError(f"{path}: {exc}") from None
    sides = cross_side(args.parties, result) if args.parties else None
    if args.json:
        from tracktwo.analysis.json_stream import write_json

        extra: dict[str, Any] | None = None
        if sides is not None:
            report, bridging = sides
            extra = report.to_json() | bridging
        sys.stdout.flush()
        write_json(result, sys.stdout.buffer, extra)  # per-participant parts in blocks
        sys.stdout.buffer.write(b"\n")
        sys.stdout.buffer.flush()
    else:
        from tracktwo.analysis.cross_party import cross_party_summary_lines

        lines = summary_lines(result, replayed=args.replay)
        if sides is not None:
            lines += ["", *cross_party_summary_lines(sides[0], result.events.statements)]
        print("\n".join(lines))
    return 0


def cross_side(path: str, result: AnalysisResult) -> tuple[CrossPartyReport, dict[str, object]]:
    """The cross-side report and bridging scores for ``--parties`` (warnings go to stderr)."""
    from tracktwo.analysis.bridging import bridging_scores
    from tracktwo.analysis.cross_party import cross_party
    from tracktwo.analysis.parties import PartyInputError, read_parties

    events = result.events
    try:
        parties = read_parties(path, events.participant_ids)
    except PartyInputError as exc:
        raise UsageError(str(exc)) from None
    for warning in parties.warnings:
        print(f"tracktwo analyze: warning: {warning}", file=sys.stderr)
    labels = result.group_labels
    groups: dict[object, object] = {
        pid: int(label)
        for pid, label in zip(result.participant_ids, labels, strict=True)
        if label >= 0
    }
    return cross_party(events, parties, groups=groups), bridging_scores(events).to_json()


# --- the readable summary -----------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _text(events: VoteEvents, s: int) -> str:
    text = events.statements.texts[s]
    return " ".join(text.split()) if text else "(no text)"


def _statement_lines(events: VoteEvents, s: int, detail: str) -> list[str]:
    sid = events.statements.ids[s]
    head = f"  [{sid}] {detail}"
    body = textwrap.wrap(
        _text(events, s),
        width=92,
        initial_indent="      ",
        subsequent_indent="      ",
        max_lines=3,
        placeholder=" …",
    )
    return [head, *body]


def summary_lines(result: AnalysisResult, replayed: bool = False) -> list[str]:
    """The summary: counts, groups, common ground, what each group stands for, divides."""
    statements = result.events.statements
    n_statements = len(statements)
    out_mod = int((statements.moderated == -1).sum())
    meta = int(statements.is_meta.sum())
    counts = result.support.counts
    sizes = np.bincount(result.group_labels[result.group_labels >= 0], minlength=result.n_groups)
    how = "replayed in time order" if replayed else "final votes"
    lines = [
        f"Participants: {len(result.participant_ids):,}   Statements: {n_statements:,} "
        f"({out_mod} moderated out, {meta} meta)   Votes: {result.n_votes:,} "
        f"({len(result.events):,} cast)   Analysis: {how}, {result.solver} solver",
        f"Clustered (enough votes): {int(result.in_conv.sum()):,} participants in "
        f"{result.n_groups} opinion group{'s' if result.n_groups != 1 else ''}",
    ]
    for g in range(result.n_groups):
        lines.append(f"  Group {g}: {int(sizes[g]):,} participants")

    def consensus(title: str, entries: tuple[object, ...], word: str) -> None:
        lines.extend(["", title])
        if not entries:
            lines.append("  (none)")
        for entry in entries:
            s = entry.statement  # type: ignore[attr-defined]
            a, d, p = (int(c) for c in counts[s])
            n = a + d + p
            share = a if word == "agree" else d
            lines.extend(
                _statement_lines(
                    result.events,
                    s,
                    f"{_share(share, n)} {word} ({n:,} votes; "
                    f"agree {a:,}, disagree {d:,}, pass {p:,})",
                )
            )

    consensus("Common ground: most participants agree", result.consensus.agree, "agree")
    consensus("Common ground: most participants disagree", result.consensus.disagree, "disagree")
    group_counts = result.support.group_counts
    for g, entries in enumerate(result.repness):
        lines.extend(["", f"Group {g} ({int(sizes[g]):,} participants): representative statements"])
        if not entries:
            lines.append("  (none)")
        for entry in entries:
            a, d, p = (int(c) for c in group_counts[g, entry.statement])
            n = a + d + p
            rest = counts[entry.statement] - group_counts[g, entry.statement]
            rest_n = int(rest.sum())
            lines.extend(
                _statement_lines(
                    result.events,
                    entry.statement,
                    f"group {entry.direction}s: {_share(a, n)} of the group agree, "
                    f"{_share(d, n)} disagree ({n:,} votes); others {_share(int(rest[0]), rest_n)} agree",
                )
            )
    lines.extend(["", "Divisive: the groups differ most"])
    if not result.divisive:
        lines.append("  (none)")
    for s in result.divisive[:SHOWN]:
        shares = ", ".join(
            f"group {g} {_share(int(group_counts[g, s, 0]), int(group_counts[g, s].sum()))}"
            for g in range(result.n_groups)
        )
        lines.extend(_statement_lines(result.events, s, f"agree: {shares}"))
    lines.extend(["", "Uncertain: many passes"])
    if not result.uncertainty:
        lines.append("  (none)")
    for s in result.uncertainty[:SHOWN]:
        a, d, p = (int(c) for c in counts[s])
        lines.extend(
            _statement_lines(result.events, s, f"{_share(p, a + d + p)} pass ({a + d + p:,} votes)")
        )
    return lines
