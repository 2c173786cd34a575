"""Readers for Pol.is exports: CSV folders (2021 and 2025 styles) and the API's JSON.

Formats read, as found in real exports:

- ``votes.csv``: ``timestamp,datetime,comment-id,voter-id,vote``, one row per vote cast
  (re-votes included). Timestamps are milliseconds in 2021-style exports and seconds in
  2025-style ones; both become seconds here.
- ``participants-votes.csv`` (2025: ``participant-votes.csv``): one row per participant, columns
  ``participant,[xid,]group-id,n-comments,n-votes,n-agree,n-disagree`` and one per comment id,
  cells 1 / 0 / -1 / blank. Used when there is no ``votes.csv``; it has no times.
- ``comments.csv``: ``comment-id``, ``moderated`` (-1 out, 0 unmoderated, 1 accepted),
  ``comment-body``, optionally ``is-meta``.
- 2025-style exports prefix every file name with ``YYYY-MM-DD-HHMM-<conversation id>-``.
- The API's ``votes.json`` (``pid``/``participant_id``, ``tid``/``statement_id``, ``vote``,
  ``modified`` in ms) and ``comments.json`` (``tid``/``statement_id``, ``txt``,
  ``mod``/``moderated``, ``is_meta``).

Vote sign: agree = +1 everywhere, ``votes.json`` included. Checked on the five API fixtures in
``shared/data/polis-math``: the last ``vote`` per (pid, tid) reproduces every comment's
``agree_count``/``disagree_count`` in ``comments.json`` with +1 as agree (262 of 262 comments),
and the swapped sign reproduces 10. (Pol.is's math output, ``math-pca2.json``, uses its internal
sign, agree = -1; that file is not read here.)

Errors name the file, the line (1-based, the header being line 1) and the field:
``votes.csv:12: vote: 'x' is not 1, 0 or -1``. Large files are read with pyarrow (``votes.csv``)
or polars; rows are checked line by line only when the fast read finds something wrong, to name
the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis._polis_parse import (
    MILLISECONDS_ABOVE,
    either_key,
    flag_field,
    id_array,
    id_field,
    ids_column,
    json_records,
    line_of_row,
    moderation_field,
    number_field,
    read_header,
    read_strings,
    records,
    sniff_csv,
    to_seconds,
    vote_field,
)
from tracktwo.analysis.votes import (
    Id,
    Statements,
    VoteEvents,
    VoteInputError,
    from_arrays,
    normalise_id,
)

if TYPE_CHECKING:
    import polars as pl

__all__ = ["find_export", "read_polis", "read_polis_groups"]

EXPORT_NAME = re.compile(
    r"^(?P<prefix>\d{4}-\d{2}-\d{2}-\d{4}-[A-Za-z0-9]+-)?"
    r"(?P<kind>votes|participants-votes|participant-votes|comments)\.(?P<ext>csv|json)$"
)
WIDE_FIXED = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
VOTES_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")


def find_export(path: str | Path) -> dict[str, Path]:
    """The files of one Pol.is export: keys ``votes``, ``wide``, ``comments`` (CSV) or
    ``votes_json``, ``comments_json``. ``path`` is a folder or one of the files; a file's
    comments are the sibling comments file with the same name prefix, when there is one."""
    path = Path(path)
    if not path.exists():
        raise VoteInputError(f"{path}: no such file or folder")
    if path.is_file():
        match = EXPORT_NAME.match(path.name)
        prefix = (match.group("prefix") or "") if match else ""
        ext = path.suffix.lower()
        kind = _kind(match.group("kind"), match.group("ext")) if match else None
        files = {kind or ("votes_json" if ext == ".json" else sniff_csv(path)): path}
        if files.get("comments") or files.get("comments_json"):
            raise VoteInputError(f"{path}: a comments file holds no votes; give the votes file")
        sibling = path.with_name(f"{prefix}comments{ext}")
        if match and sibling.is_file():
            files["comments_json" if ext == ".json" else "comments"] = sibling
        return files
    found: dict[str, dict[str, Path]] = {}
    for child in sorted(path.iterdir()):
        match = EXPORT_NAME.match(child.name)
        if match and child.is_file():
            key = _kind(match.group("kind"), match.group("ext"))
            if key != "wide_json":
                found.setdefault(match.group("prefix") or "", {})[key] = child
    if len(found) > 1:
        names = ", ".join(repr(p or "(none)") for p in found)
        raise VoteInputError(f"{path}: holds several exports (file name prefixes {names})")
    files = next(iter(found.values()), {})
    if not {"votes", "wide", "votes_json"} & files.keys():
        raise VoteInputError(
            f"{path}: no Pol.is votes file (votes.csv, participants-votes.csv, "
            "participant-votes.csv or votes.json)"
        )
    return files


def _kind(name: str, ext: str) -> str:
    """``votes``, ``wide`` or ``comments``, with ``_json`` for JSON files."""
    kind = "wide" if name.endswith("-votes") else name
    return f"{kind}_json" if ext == "json" else kind


def read_polis(path: str | Path) -> VoteEvents:
    """Every vote of a Pol.is export (folder or file), with the statements' text and moderation.

    Prefers ``votes.csv`` (full history) over ``participant(s)-votes.csv`` (last votes, no
    times) over ``votes.json``. Participant and statement ids are integers as in the export;
    statements are ordered by id, then any voted on but missing from the comments file.
    Raises :class:`VoteInputError` naming file, line and field for anything malformed.
    """
    files = find_export(path)
    if "votes" in files or "wide" in files:
        statements = _read_comments_csv(files["comments"]) if "comments" in files else None
        if "votes" in files:
            return _read_votes_csv(files["votes"], statements)
        return _read_wide_csv(files["wide"], statements)
    json_statements = (
        _read_comments_json(files["comments_json"]) if "comments_json" in files else None
    )
    return _read_votes_json(files["votes_json"], json_statements)


def read_polis_groups(path: str | Path) -> dict[Id, int]:
    """Pol.is's own group per participant from ``participant(s)-votes.csv``'s ``group-id``.

    Participants Pol.is did not cluster (blank ``group-id``) are left out.
    """
    import polars as pl

    files = find_export(path)
    if "wide" not in files:
        raise VoteInputError(f"{path}: no participants-votes.csv (Pol.is's groups are there)")
    wide = files["wide"]
    header = read_header(wide, ("participant", "group-id"))
    frame = read_strings(wide, header, ["participant", "group-id"])
    groups = frame["group-id"].cast(pl.Int64, strict=False)
    bad = frame["group-id"].is_not_null() & (groups.is_null() | (groups < 0))
    if bad.any():
        row = int(bad.arg_true()[0])
        value = frame["group-id"][row]
        raise VoteInputError(f"{line_of_row(wide, frame, row)}: group-id: {value!r} is not a group")
    pids = ids_column(wide, frame, "participant")
    result: dict[Id, int] = {}
    for pid, gid in zip(pids, groups.to_list(), strict=True):
        if gid is not None:
            result[pid] = int(gid)
    return result


# --- comments -----------------------------------------------------------------------------


def _read_comments_csv(path: Path) -> Statements:
    header = read_header(path, ("comment-id", "moderated", "comment-body"))
    ids: list[Id] = []
    texts: list[str | None] = []
    moderated: list[int] = []
    meta: list[bool] = []
    seen: dict[Id, int] = {}
    for line, record in records(path, header):
        where = f"{path}:{line}"
        sid = id_field(where, "comment-id", record["comment-id"])
        if sid in seen:
            raise VoteInputError(f"{where}: comment-id: {sid} already on line {seen[sid]}")
        seen[sid] = line
        ids.append(sid)
        texts.append(record["comment-body"])
        moderated.append(moderation_field(where, "moderated", record["moderated"]))
        meta.append(flag_field(where, "is-meta", record.get("is-meta", "false")))
    return _statements(ids, texts, moderated, meta)


def _read_comments_json(path: Path) -> Statements:
    ids: list[Id] = []
    texts: list[str | None] = []
    moderated: list[int] = []
    meta: list[bool] = []
    seen: set[Id] = set()
    for where, record in json_records(path):
        sid = id_field(where, "tid", either_key(where, record, "tid", "statement_id"))
        if sid in seen:
            raise VoteInputError(f"{where}: tid: {sid} appears twice")
        seen.add(sid)
        ids.append(sid)
        text = record.get("txt")
        texts.append(None if text is None else str(text))
        mod = record.get("mod", record.get("moderated", 0))
        moderated.append(moderation_field(where, "mod", mod))
        meta.append(flag_field(where, "is_meta", record.get("is_meta", False)))
    return _statements(ids, texts, moderated, meta)


def _statements(
    ids: list[Id], texts: list[str | None], moderated: list[int], meta: list[bool]
) -> Statements:
    order = sorted(
        range(len(ids)), key=lambda i: (isinstance(ids[i], str), str(type(ids[i])), ids[i])
    )
    return Statements(
        tuple(ids[i] for i in order),
        tuple(texts[i] for i in order),
        np.array([moderated[i] for i in order], np.int8),
        np.array([meta[i] for i in order], np.bool_),
    )


# --- votes --------------------------------------------------------------------------------


def _read_votes_csv(path: Path, statements: Statements | None) -> VoteEvents:
    header = read_header(path, VOTES_COLUMNS)
    columns = _arrow_votes(path)
    if columns is None:
        return _read_votes_csv_by_line(path, header, statements)
    voter, comment, vote, stamp = columns
    return _events(voter, comment, vote, stamp, statements)


def _arrow_votes(
    path: Path,
) -> tuple[NDArray[np.generic], NDArray[np.generic], NDArray[np.int8], NDArray[np.float64]] | None:
    """The four columns of a clean ``votes.csv``, read by pyarrow on every core; ``None`` when
    anything is amiss (a row with more or fewer fields than the header, a missing or non-integer
    id, a vote other than 1/0/-1, a time that is not a finite number, no rows), for the reader
    that checks line by line and names the line.

    Ids are parsed as int32 and times as int64 milliseconds or seconds, as Pol.is writes them;
    when that fails, once more as int64 and float64. Each column is copied out of Arrow's chunks
    and dropped from the table before the next, so the file's votes are held about once.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    attempts = ((pa.int64(), pa.int32()), (pa.float64(), pa.int64()))
    for time_type, id_type in attempts:
        types = {"timestamp": time_type, "comment-id": id_type, "voter-id": id_type}
        try:
            table = pcsv.read_csv(
                path,
                read_options=pcsv.ReadOptions(block_size=1 << 24),
                convert_options=pcsv.ConvertOptions(
                    include_columns=list(VOTES_COLUMNS),
                    column_types={**types, "vote": pa.int8()},
                ),
                memory_pool=pa.system_memory_pool(),  # freed at once, not kept for reuse
            )
            break
        except (pa.ArrowException, KeyError, ValueError):
            continue
    else:
        return None
    if table.num_rows == 0 or any(column.null_count for column in table.columns):
        return None
    out: list[NDArray[np.generic]] = []
    for name in VOTES_COLUMNS:
        kind = np.dtype(str(table.schema.field(name).type).replace("double", "float64"))
        chunks = table[name].chunks
        table = table.drop_columns([name])
        out.append(_column(chunks, np.dtype(np.float64) if name == "timestamp" else kind))
    del table
    _trim()
    comment, voter, vote = out[1:]
    stamp: NDArray[np.float64] = out[0].view(np.float64)
    del out
    if vote.min() < -1 or vote.max() > 1:
        return None
    low, high = float(stamp.min()), float(stamp.max())
    if not (np.isfinite(low) and np.isfinite(high)):
        return None
    if max(abs(low), abs(high)) > MILLISECONDS_ABOVE:  # as to_seconds, in place
        for start in range(0, stamp.shape[0], 1 << 22):
            stamp[start : start + (1 << 22)] /= 1000.0
    return voter, comment, vote.astype(np.int8, copy=False), stamp


def _trim() -> None:
    """Give freed heap memory back to the system: glibc keeps what the CSV reader's threads
    freed in their arenas (hundreds of MB at 50M votes) until asked."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


def _column(chunks: list[Any], dtype: np.dtype[Any]) -> NDArray[np.generic]:
    """One column (fixed-width numbers, no nulls) out of Arrow's chunks into a single array of
    ``dtype``, each chunk read in place through its buffer and freed once copied."""
    out = np.empty(sum(len(chunk) for chunk in chunks), dtype)
    at = 0
    chunks.reverse()
    while chunks:
        chunk = chunks.pop()
        width = np.dtype(str(chunk.type).replace("double", "float64"))
        data = chunk.buffers()[1]
        part = np.frombuffer(data, width, count=len(chunk), offset=chunk.offset * width.itemsize)
        out[at : at + part.shape[0]] = part
        at += part.shape[0]
        del chunk, data, part
    return out


def _read_votes_csv_by_line(
    path: Path, header: Sequence[str], statements: Statements | None
) -> VoteEvents:
    """The slow path: every row checked, so that the first bad one is named by its line."""
    voters: list[Id] = []
    comments: list[Id] = []
    votes: list[int] = []
    times: list[float] = []
    for line, record in records(path, header):
        if not any(record[c] for c in VOTES_COLUMNS):
            continue  # a blank line holds no vote
        where = f"{path}:{line}"
        times.append(number_field(where, "timestamp", record["timestamp"]))
        comments.append(id_field(where, "comment-id", record["comment-id"]))
        voters.append(id_field(where, "voter-id", record["voter-id"]))
        votes.append(vote_field(where, "vote", record["vote"]))
    if not votes:
        raise VoteInputError(f"{path}: no votes")
    return _events(
        id_array(voters),
        id_array(comments),
        np.array(votes, np.int8),
        to_seconds(np.array(times, np.float64)),
        statements,
    )


def _read_wide_csv(path: Path, statements: Statements | None) -> VoteEvents:
    import polars as pl

    header = read_header(path, ("participant",))
    fixed = [c for c in header if c in WIDE_FIXED]
    columns: list[str] = []
    comment_ids: list[Id] = []
    for name in header:
        if name in WIDE_FIXED:
            continue
        try:
            comment_id = normalise_id(name)
        except VoteInputError:
            comment_id = name
        if not isinstance(comment_id, int):
            raise VoteInputError(
                f"{path}:1: column {name!r} is neither a comment id nor one of "
                f"{', '.join(WIDE_FIXED)}"
            )
        comment_ids.append(comment_id)
        columns.append(name)
    frame = read_strings(path, header, [*fixed, *columns])
    if frame.height == 0:
        raise VoteInputError(f"{path}: no participants")
    pids = ids_column(path, frame, "participant")
    seen: dict[Id, int] = {}
    for row, pid in enumerate(pids):
        if seen.setdefault(pid, row) != row:
            first = line_of_row(path, frame, seen[pid]).rsplit(":", 1)[1]
            raise VoteInputError(
                f"{line_of_row(path, frame, row)}: participant: {pid} already on line {first}"
            )
    cells = frame.select(columns).with_row_index("_row").unpivot(index="_row", variable_name="c")
    cells = cells.filter(pl.col("value").is_not_null())
    value = cells["value"].str.strip_chars()
    code = value.cast(pl.Int8, strict=False)
    bad = code.is_null() | ~code.is_in([-1, 0, 1])
    if bad.any():
        first_bad = cells.filter(bad).sort("_row").row(0, named=True)
        raise VoteInputError(
            f"{line_of_row(path, frame, first_bad['_row'])}: comment {first_bad['c']}: vote "
            f"{first_bad['value']!r} is not 1, 0, -1 or blank"
        )
    if "n-votes" in frame.columns:
        _check_counts(path, frame, cells)
    column_index = {name: i for i, name in enumerate(columns)}
    which = cells["c"].replace_strict(column_index, return_dtype=pl.Int64).to_numpy()
    rows = cells["_row"].to_numpy().astype(np.int64)
    if rows.size == 0:
        raise VoteInputError(f"{path}: no votes")
    pid_array = id_array(pids)
    sid_array = id_array(comment_ids)
    events = _events(
        pid_array[rows],
        sid_array[which],
        code.to_numpy(),
        np.full(rows.shape[0], np.nan),
        statements,
    )
    # No times here: order the events participant by participant, in participant-id order.
    # Pol.is numbers participants as they arrive (first-vote times follow the ids closely in
    # the exports that have votes.csv; the file's row order does not), so this is the closest
    # to arrival order there is, and what a replay of these votes follows.
    order = np.lexsort((events.statement, events.participant))
    return VoteEvents(
        events.participant[order],
        events.statement[order],
        events.vote[order],
        events.timestamp[order],
        events.participant_ids,
        events.statements,
    )


def _check_counts(path: Path, frame: pl.DataFrame, cells: pl.DataFrame) -> None:
    """``n-votes`` must equal the filled cells: a short row must not lose votes silently."""
    import polars as pl

    stated = frame["n-votes"].cast(pl.Int64, strict=False)
    if stated.null_count():
        row = int(stated.is_null().arg_true()[0])
        raise VoteInputError(
            f"{line_of_row(path, frame, row)}: n-votes: {frame['n-votes'][row]!r} is not a count"
        )
    counted = np.bincount(cells["_row"].to_numpy(), minlength=frame.height)
    wrong = np.flatnonzero(counted != stated.to_numpy())
    if wrong.size:
        row = int(wrong[0])
        raise VoteInputError(
            f"{line_of_row(path, frame, row)}: n-votes: says {stated[row]} but the row has "
            f"{counted[row]} votes (a short or damaged row?)"
        )


def _read_votes_json(path: Path, statements: Statements | None) -> VoteEvents:
    voters: list[Id] = []
    comments: list[Id] = []
    votes: list[int] = []
    times: list[float] = []
    for where, record in json_records(path):
        voters.append(id_field(where, "pid", either_key(where, record, "pid", "participant_id")))
        comments.append(id_field(where, "tid", either_key(where, record, "tid", "statement_id")))
        if "vote" not in record:
            raise VoteInputError(f"{where}: vote: missing")
        votes.append(vote_field(where, "vote", record["vote"]))
        modified = record.get("modified")
        times.append(np.nan if modified is None else number_field(where, "modified", modified))
    if not votes:
        raise VoteInputError(f"{path}: no votes")
    return _events(
        id_array(voters),
        id_array(comments),
        np.array(votes, np.int8),
        to_seconds(np.array(times, np.float64)),
        statements,
    )


def _events(
    voter: NDArray[np.generic],
    comment: NDArray[np.generic],
    vote: NDArray[np.generic],
    time: NDArray[np.float64],
    statements: Statements | None,
) -> VoteEvents:
    """VoteEvents with participants in id order (integer ids encoded without Python loops;
    the indices are int32 whenever they fit)."""
    if voter.dtype.kind not in "iu" or comment.dtype.kind not in "iu":
        return from_arrays(voter, comment, vote, time, statements)
    participant_ids, participant = _dense_codes(voter)
    del voter
    comment_ids, local = _dense_codes(comment)
    del comment
    base = statements if statements is not None else Statements.plain(())
    full = base.extended([int(c) for c in comment_ids])
    remap = np.array([full.index[int(c)] for c in comment_ids], np.int64)
    statement = remap.astype(local.dtype)[local] if local.size else local
    del local
    return VoteEvents(
        participant,
        statement,
        np.asarray(vote, np.int8),
        np.asarray(time, np.float64),
        tuple(participant_ids.tolist()),
        full,
    )


def _dense_codes(
    values: NDArray[np.generic],
) -> tuple[NDArray[np.int64], NDArray[np.signedinteger]]:
    """The sorted distinct values, and each value's index among them (int32 when it fits)."""
    if values.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    low, high = int(values.min()), int(values.max())
    if low >= 0 and high < min(4 * values.size + (1 << 20), 1 << 31):
        present = np.zeros(high + 1, np.bool_)
        present[values] = True
        table = np.cumsum(present, dtype=np.int32)
        table -= 1  # int32: half the cache misses
        return np.flatnonzero(present).astype(np.int64), table[values]
    uniques, inverse = np.unique(values, return_inverse=True)
    codes = inverse.astype(np.int32) if uniques.size < 2**31 - 1 else inverse.astype(np.int64)
    return uniques.astype(np.int64), codes
