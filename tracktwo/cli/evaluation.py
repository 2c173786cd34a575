"""``tracktwo evaluation analyze RESPONSES.csv [--json] [--min-cell K]``: paired change of a
survey of change from a CSV file, without a database.

RESPONSES.csv has a header ``respondent,side,wave,measure,value`` (wave one of ``pre``,
``post``, ``follow-up``; value a number, or empty for a skipped item; a respondent keeps one
side). Prints, per measure and side (and ``all``), the change post-pre and follow-up-pre with
its 95% t interval and Cohen's d_z; a side below K paired people is withheld, and so is any
side whose count could be worked out from the total and the other sides (the site's one
suppression, :func:`tracktwo.insight.suppression.protect_sizes`). ``--json`` prints
``{"results": [{measure, side, comparison, n_paired, mean_change, ci_low, ci_high, d_z,
withheld}], "attrition": [...], "min_cell": K, "level": 0.95}``. A bad row stops the command
with exit status 2 and one line naming the line number and the field. Pure computation: no
Django.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tracktwo.analysis.evaluation import ALL_SIDES, WAVES, ChangeRow, analyze_change
from tracktwo.cli import UsageError

COLUMNS = ("respondent", "side", "wave", "measure", "value")
DEFAULT_MIN_CELL = 5


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    analyze = actions.add_parser(
        "analyze",
        help="paired change per measure and side from a CSV of survey answers",
        description="Paired change (post-pre, follow-up-pre) per measure and side with 95%% "
        "intervals and Cohen's d_z, from RESPONSES.csv with the header "
        "respondent,side,wave,measure,value (wave: pre, post or follow-up). Sides below K "
        "paired people are withheld.",
    )
    analyze.add_argument("responses", metavar="RESPONSES.csv", help="the answers, one per line")
    analyze.add_argument("--json", action="store_true", help="print the results as JSON")
    analyze.add_argument(
        "--min-cell",
        metavar="K",
        default=str(DEFAULT_MIN_CELL),
        help=f"withhold a side with fewer than K paired people ({DEFAULT_MIN_CELL})",
    )


def _min_cell(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"--min-cell: {raw!r} is not a whole number") from None
    if value < 1:
        raise UsageError("--min-cell: must be at least 1")
    return value


def _value(raw: str, where: str) -> float:
    text = raw.strip()
    if text == "":
        return math.nan  # a skipped item
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{where}, field value: {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise UsageError(f"{where}, field value: {raw!r} is not a finite number")
    return value


def read_responses(path: Path) -> tuple[list[list[str]], list[float]]:
    """The file's columns (respondent, side, wave, measure) and values; bad rows refused."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
    columns: list[list[str]] = [[], [], [], []]
    values: list[float] = []
    sides: dict[str, str] = {}
    with handle:
        try:
            reader = csv.reader(handle)
            header = [h.strip() for h in next(reader, [])]
            if tuple(header) != COLUMNS:
                raise UsageError(f"{path}, line 1: the header must be {','.join(COLUMNS)}")
            for row in reader:
                _take(row, f"{path}, line {reader.line_num}", columns, values, sides)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: not a readable CSV file ({exc})") from None
    if not values:
        raise UsageError(f"{path}: no answers after the header")
    return columns, values


def _take(
    row: list[str],
    where: str,
    columns: list[list[str]],
    values: list[float],
    sides: dict[str, str],
) -> None:
    if not any(cell.strip() for cell in row):
        return
    if len(row) != len(COLUMNS):
        raise UsageError(f"{where}: expected {len(COLUMNS)} fields, found {len(row)}")
    respondent, side, wave, measure = (cell.strip() for cell in row[:4])
    for name, cell in (("respondent", respondent), ("side", side), ("measure", measure)):
        if not cell:
            raise UsageError(f"{where}, field {name}: empty")
    if wave not in WAVES:
        raise UsageError(f"{where}, field wave: {wave!r} is not one of {', '.join(WAVES)}")
    if sides.setdefault(respondent, side) != side:
        raise UsageError(
            f"{where}, field side: respondent {respondent!r} was on side "
            f"{sides[respondent]!r} before"
        )
    value = _value(row[4], where)
    for column, cell in zip(columns, (respondent, side, wave, measure), strict=True):
        column.append(cell)
    values.append(value)


def suppressed(rows: tuple[ChangeRow, ...], min_cell: int) -> list[dict[str, Any]]:
    """Each row as JSON, the sides' counts through the site's suppression."""
    from tracktwo.insight.suppression import protect_sizes

    out: list[dict[str, Any]] = []
    for key in sorted({(r.measure, r.comparison) for r in rows}):
        group = [r for r in rows if (r.measure, r.comparison) == key]
        total = next((r for r in group if r.side == ALL_SIDES), None)
        sides = [r for r in group if r.side != ALL_SIDES]
        shown, total_shown = protect_sizes(
            {r.side: r.n_paired or 0 for r in sides},
            (total.n_paired or 0) if total else 0,
            min_cell,
        )
        for row in [*sides, *([total] if total else [])]:
            visible = total_shown if row.side == ALL_SIDES else shown[row.side]
            data = asdict(row)
            if visible is None or row.withheld:
                data.update(n_paired=None, mean_change=None, ci_low=None, ci_high=None, d_z=None)
                data["withheld"] = True
            out.append(data)
    return out


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def run(args: argparse.Namespace) -> int:
    min_cell = _min_cell(args.min_cell)
    (respondent, side, wave, measure), values = read_responses(Path(args.responses))
    result = analyze_change(respondent, side, wave, measure, values, min_cell=min_cell)
    rows = suppressed(result.rows, min_cell)
    attrition = [asdict(count) for count in result.attrition]
    if args.json:
        document = {
            "results": rows,
            "attrition": attrition,
            "min_cell": min_cell,
            "level": result.level,
        }
        print(json.dumps(document, indent=2, allow_nan=False))
        return 0
    print(f"{len(set(respondent))} respondents; sides below {min_cell} paired people withheld")
    for row in rows:
        label = f"{row['measure']:<22} {row['side']:<14} {row['comparison']:<14}"
        if row["withheld"]:
            print(f"{label} withheld")
            continue
        print(
            f"{label} n={row['n_paired']:<4} change {_fmt(row['mean_change'])} "
            f"[{_fmt(row['ci_low'])}, {_fmt(row['ci_high'])}] d_z {_fmt(row['d_z'])}"
        )
    return 0
