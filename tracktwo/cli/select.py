"""``tracktwo select POOL.csv --quotas QUOTAS.csv --panel-size N --seed S``: draw a panel.

POOL.csv has one row per candidate, an ``id`` column and one column per category;
QUOTAS.csv is ``category,value,min,max``. The panel is drawn with the Sortition
Foundation's algorithms (:mod:`tracktwo.analysis.selection`): maximin by default, nash
as an option; leximin only where its solver, Gurobi, is installed. Pure computation: this
module imports no Django.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tracktwo.analysis.selection import (
    MAX_SEED,
    Candidate,
    Selection,
    SelectionProblem,
    categories_of,
    select_panel,
)
from tracktwo.analysis.selection_csv import read_pool, read_quotas
from tracktwo.cli import UsageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pool", metavar="POOL.csv", help="an id column and one column per category")
    parser.add_argument(
        "--quotas", required=True, metavar="QUOTAS.csv", help="rows of category,value,min,max"
    )
    parser.add_argument("--panel-size", required=True, type=int, metavar="N")
    parser.add_argument(
        "--seed", required=True, type=int, metavar="S", help=f"1 to {MAX_SEED}; recorded"
    )
    parser.add_argument(
        "--household-column",
        metavar="COL",
        help="at most one person per value of this column (household or organisation)",
    )
    parser.add_argument(
        "--algorithm",
        choices=("maximin", "nash", "leximin"),
        default="maximin",
        help="maximin (default) or nash; leximin needs the Gurobi solver (gurobipy)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='print {"selected": [...], "probabilities": {...}, "seed": S, "algorithm": ...}',
    )


def counts(
    candidates: Sequence[Candidate], ids: Sequence[str], categories: Sequence[str]
) -> dict[str, dict[str, int]]:
    """How many of ``ids`` have each value, per category (for a balance table)."""
    chosen = set(ids)
    out: dict[str, dict[str, int]] = {}
    for category in categories:
        tally: Counter[str] = Counter(
            str(c.values.get(category, "")) for c in candidates if c.id in chosen
        )
        out[category] = dict(sorted(tally.items()))
    return out


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None


def summary_lines(result: Selection, table: dict[str, dict[str, int]]) -> list[str]:
    lines = [
        f"Panel of {result.panel_size} drawn with {result.algorithm}, seed {result.seed} "
        f"({result.panels} panels in the distribution)",
        "Selected: " + ", ".join(result.selected),
        "",
    ]
    for category, values in table.items():
        shown = ", ".join(f"{value} {n}" for value, n in values.items())
        lines.append(f"{category}: {shown}")
    low = min(result.probabilities.values())
    high = max(result.probabilities.values())
    lines.append(f"Selection probabilities from {low:.4f} to {high:.4f}")
    return lines


@contextmanager
def _solver_chatter_to_stderr() -> Iterator[None]:
    """The HiGHS solver prints a banner on file descriptor 1 from C; keep stdout for the
    result (the JSON must parse)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def run(args: argparse.Namespace) -> int:
    try:
        quotas = read_quotas(_read(args.quotas), name=args.quotas)
        pool = read_pool(
            _read(args.pool),
            categories_of(quotas),
            name=args.pool,
            household_column=args.household_column,
        )
        with _solver_chatter_to_stderr():
            result = select_panel(
                pool,
                quotas,
                args.panel_size,
                args.seed,
                algorithm=args.algorithm,
                households=bool(args.household_column),
            )
    except SelectionProblem as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        table = counts(pool, result.selected, categories_of(quotas))
        print("\n".join(summary_lines(result, table)))
    return 0
