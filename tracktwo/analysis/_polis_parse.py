"""Field and record parsing for the Pol.is readers (:mod:`tracktwo.analysis.polis_io`).

Every error names where: ``FILE:LINE: field: problem``, lines counted as in the file (header = 1).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.votes import Id, VoteInputError, normalise_id, parse_vote

if TYPE_CHECKING:
    import polars as pl

# Unix seconds stay below 1e11 until the year 5138; Unix milliseconds passed 1e11 in 1973.
MILLISECONDS_ABOVE = 1e11


# --- fields -------------------------------------------------------------------------------


def id_field(where: str, field: str, value: object) -> Id:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise VoteInputError(f"{where}: {field}: missing")
    try:
        return normalise_id(value)
    except VoteInputError as exc:
        raise VoteInputError(f"{where}: {field}: {exc}") from None


def vote_field(where: str, field: str, value: object) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise VoteInputError(f"{where}: {field}: missing")
    try:
        return parse_vote(value)
    except VoteInputError:
        raise VoteInputError(f"{where}: {field}: {value!r} is not 1, 0 or -1") from None


def number_field(where: str, field: str, value: object) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise VoteInputError(f"{where}: {field}: missing")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise VoteInputError(f"{where}: {field}: {value!r} is not a number") from None
    if not np.isfinite(number):
        raise VoteInputError(f"{where}: {field}: {value!r} is not a finite number")
    return number


def moderation_field(where: str, field: str, value: object) -> int:
    try:
        number = number_field(where, field, value)
    except VoteInputError:
        number = np.nan
    if number not in (-1.0, 0.0, 1.0):
        raise VoteInputError(f"{where}: {field}: {value!r} is not -1, 0 or 1")
    return int(number)


def flag_field(where: str, field: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in ("true", "t", "1"):
        return True
    if text in ("false", "f", "0", ""):
        return False
    raise VoteInputError(f"{where}: {field}: {value!r} is not true or false")


def either_key(where: str, record: dict[str, object], key: str, alias: str) -> object:
    if key in record:
        return record[key]
    if alias in record:
        return record[alias]
    raise VoteInputError(f"{where}: {key}: missing")


def id_array(ids: Sequence[Id]) -> NDArray[np.generic]:
    """int64 when every id is an integer, else an object array."""
    if all_int(ids):
        return np.array(ids, np.int64)
    array = np.empty(len(ids), object)
    array[:] = list(ids)
    return array


def all_int(ids: Sequence[Id]) -> bool:
    return all(isinstance(i, int) for i in ids)


def to_seconds(times: NDArray[np.float64]) -> NDArray[np.float64]:
    """Times in seconds: a file whose times pass 1e11 is in milliseconds (NaN = unknown)."""
    largest = np.fmax.reduce(np.abs(times), initial=-np.inf) if times.size else -np.inf
    if largest > MILLISECONDS_ABOVE:
        return times / 1000.0
    return times


# --- files --------------------------------------------------------------------------------


def sniff_csv(path: Path) -> str:
    """What a CSV holds, from its header: ``votes``, ``wide`` or ``comments``."""
    header = read_header(path, ())
    if "voter-id" in header:
        return "votes"
    if "participant" in header:
        return "wide"
    if "comment-body" in header:
        return "comments"
    raise VoteInputError(f"{path}:1: not a Pol.is votes file (no voter-id or participant column)")


def read_header(path: Path, required: Sequence[str]) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except OSError as exc:
        raise VoteInputError(f"{path}: cannot read: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise VoteInputError(f"{path}:1: not a readable CSV file ({exc})") from None
    if not header:
        raise VoteInputError(f"{path}: empty file")
    header = [name.strip() for name in header]
    for name in header:
        if header.count(name) > 1:
            raise VoteInputError(f"{path}:1: column {name!r} appears twice")
    missing = [name for name in required if name not in header]
    if missing:
        raise VoteInputError(f"{path}:1: missing column {missing[0]!r}")
    return header


def records(path: Path, header: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(first line, record) for each non-empty record after the header."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            line = reader.line_num
            for fields in reader:
                start, line = line + 1, reader.line_num
                if not fields:
                    continue
                if len(fields) != len(header):
                    raise VoteInputError(
                        f"{path}:{start}: has {len(fields)} fields, the header has {len(header)}"
                    )
                yield start, dict(zip(header, fields, strict=True))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise VoteInputError(f"{path}:{line + 1}: not readable as CSV ({exc})") from None


def read_strings(path: Path, header: Sequence[str], columns: Sequence[str]) -> pl.DataFrame:
    """Columns as strings, empty rows dropped, with ``_record``: each row's record number."""
    import polars as pl

    try:
        frame = pl.read_csv(
            path, columns=list(columns), infer_schema=False, truncate_ragged_lines=False
        )
    except (pl.exceptions.ComputeError, pl.exceptions.ShapeError):
        for _ in records(path, header):  # names the bad line
            pass
        raise VoteInputError(f"{path}: not readable as CSV") from None
    frame = frame.with_row_index("_record")
    return frame.filter(pl.any_horizontal(pl.exclude("_record").is_not_null()))


def line_of_row(path: Path, frame: pl.DataFrame, row: int) -> str:
    """``FILE:LINE`` of row ``row`` of a frame from :func:`_read_strings`."""
    record = int(frame["_record"][row])
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        line = reader.line_num
        for index, _fields in enumerate(reader):
            if index == record:
                return f"{path}:{line + 1}"
            line = reader.line_num
    return f"{path}: record {record + 1}"


def ids_column(path: Path, frame: pl.DataFrame, column: str) -> list[Id]:
    ids: list[Id] = []
    for row, value in enumerate(frame[column].to_list()):
        if value is None or not value.strip():
            raise VoteInputError(f"{line_of_row(path, frame, row)}: {column}: missing")
        try:
            ids.append(normalise_id(value))
        except VoteInputError as exc:
            raise VoteInputError(f"{line_of_row(path, frame, row)}: {column}: {exc}") from None
    return ids


def json_records(path: Path) -> Iterator[tuple[str, dict[str, object]]]:
    """(``FILE:LINE``, record) for each object of a JSON array, LINE where the object starts."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise VoteInputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise VoteInputError(f"{path}: not UTF-8 text ({exc})") from None
    if not text.strip():
        raise VoteInputError(f"{path}: empty file")
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if text[position : position + 1] != "[":
        raise VoteInputError(f"{path}:{_line(text, position)}: expected a JSON array of records")
    position = _skip_space(text, position + 1)
    line, counted = 1, 0
    while text[position : position + 1] != "]":
        try:
            record, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise VoteInputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        line += text.count("\n", counted, position)
        counted = position
        where = f"{path}:{line}"
        if not isinstance(record, dict):
            raise VoteInputError(f"{where}: expected an object, got {type(record).__name__}")
        yield where, record
        position = _skip_space(text, end)
        if text[position : position + 1] == ",":
            position = _skip_space(text, position + 1)
        elif text[position : position + 1] != "]":
            raise VoteInputError(f"{path}:{_line(text, position)}: expected ',' or ']'")


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1
