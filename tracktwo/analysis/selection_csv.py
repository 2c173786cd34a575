"""Pools and quotas as CSV text, for :mod:`tracktwo.analysis.selection`.

A pool has one row per candidate: an ``id`` column, one column per category, and
optionally a household (or organisation) column. Quotas are ``category,value,min,max``.
Every mistake raises :class:`~tracktwo.analysis.selection.SelectionProblem` naming the
file, the line and the field, and nothing is half read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tracktwo.analysis.selection import Candidate, Quota, SelectionProblem

QUOTA_COLUMNS = ("category", "value", "min", "max")


def _rows(text: str, name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise SelectionProblem(f"{name}: the file is empty") from None
    except csv.Error as error:
        raise SelectionProblem(f"{name}, line 1: {error}") from None
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                raise SelectionProblem(
                    f"{name}, line {line}: {len(row)} fields, the header has {len(header)}"
                )
            rows.append((line, {key: cell.strip() for key, cell in zip(header, row, strict=True)}))
    except csv.Error as error:
        raise SelectionProblem(f"{name}, line {reader.line_num}: {error}") from None
    return header, rows


def _whole(value: str, name: str, line: int, column: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SelectionProblem(
            f"{name}, line {line}, field {column}: {value!r} is not a whole number"
        ) from None
    if number < 0:
        raise SelectionProblem(f"{name}, line {line}, field {column}: must not be negative")
    return number


def read_quotas(text: str, name: str = "quotas") -> list[Quota]:
    """Quotas from ``category,value,min,max`` rows."""
    header, rows = _rows(text, name)
    missing = [column for column in QUOTA_COLUMNS if column not in header]
    if missing:
        raise SelectionProblem(f"{name}, line 1: missing column {missing[0]!r}")
    quotas: list[Quota] = []
    for line, row in rows:
        for column in ("category", "value"):
            if not row[column]:
                raise SelectionProblem(f"{name}, line {line}, field {column}: empty")
        low = _whole(row["min"], name, line, "min")
        high = _whole(row["max"], name, line, "max")
        if high < low:
            raise SelectionProblem(
                f"{name}, line {line}: quota {row['category']}={row['value']} has min {low} "
                f"above max {high}"
            )
        quotas.append(Quota(row["category"], row["value"], low, high))
    if not quotas:
        raise SelectionProblem(f"{name}: no quota rows")
    return quotas


def read_pool(
    text: str,
    categories: Sequence[str],
    *,
    name: str = "pool",
    household_column: str | None = None,
    id_column: str = "id",
) -> list[Candidate]:
    """Candidates from a pool CSV: ``id_column``, the categories, the household column."""
    header, rows = _rows(text, name)
    for column in [id_column, *categories, *([household_column] if household_column else [])]:
        if column not in header:
            raise SelectionProblem(f"{name}, line 1: missing column {column!r}")
    seen: dict[str, int] = {}
    pool: list[Candidate] = []
    for line, row in rows:
        key = row[id_column]
        if not key:
            raise SelectionProblem(f"{name}, line {line}, field {id_column}: empty")
        if key in seen:
            raise SelectionProblem(
                f"{name}, line {line}, field {id_column}: {key!r} already on line {seen[key]}"
            )
        seen[key] = line
        for category in categories:
            if not row[category]:
                raise SelectionProblem(f"{name}, line {line}, field {category}: empty")
        household = row[household_column] if household_column else ""
        pool.append(Candidate(key, {c: row[c] for c in categories}, household))
    if not pool:
        raise SelectionProblem(f"{name}: no candidate rows")
    return pool


def check_values(pool: Sequence[Candidate], quotas: Sequence[Quota], name: str = "pool") -> None:
    """Every candidate's value has a quota row (else the line's value is named)."""
    known: dict[str, set[str]] = {}
    for quota in quotas:
        known.setdefault(quota.category, set()).add(quota.value.strip().casefold())
    for index, candidate in enumerate(pool):
        for category, values in known.items():
            value = candidate.values.get(category, "")
            if value.strip().casefold() not in values:
                raise SelectionProblem(
                    f"{name}, candidate {candidate.id} (row {index + 1}), field {category}: "
                    f"{value!r} has no quota"
                )
