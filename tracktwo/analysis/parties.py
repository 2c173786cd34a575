"""Declared sides (parties): who came as whom, as the convener knows it.

Pol.is only sees the groups that votes reveal; a Track Two convener also knows the
sides. This module reads the mapping participant -> party, from Python or from a CSV
file with the header ``participant,party``, and aligns it with the participants of a
vote set.

Rules
    - Participant ids are normalised as the votes' ids are (``votes.normalise_id``:
      ``"12"`` -> ``12``), so the party file may use the ids of the vote export as text.
    - Participants without a party are allowed: they are left out of per-side tallies.
    - Ids that cast no vote are ignored, each reported as a warning (with its line).
    - A participant listed twice with two different parties is an error.
    - At least two parties must have members who voted; and each party must have at
      least ``min_party_size`` members who voted (default 3): the convener knows who
      is on which side, so the tallies of a side of one would reveal that person's
      votes, and in a side of two each would learn the other's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.votes import Id, VoteInputError, normalise_id

DEFAULT_MIN_PARTY_SIZE = 3
HEADER = ("participant", "party")
_MAX_LISTED_WARNINGS = 20


class PartyInputError(ValueError):
    """A party mapping that cannot be used; the message names the file, line and field."""


@dataclass(frozen=True, eq=False)
class Parties:
    """Parties aligned with the participants of a vote set.

    Attributes
    ----------
    names : tuple of str, length n_parties
        Party names in order of first appearance in the mapping (parties with voters only).
    member : ndarray of int64, shape (n_participants,)
        Party index of each participant of the votes (``participant_ids`` order); -1 for
        participants without a party.
    sizes : ndarray of int64, shape (n_parties,)
        Participants who voted, per party.
    warnings : tuple of str
        Human-readable notes for the user (ids in the mapping that cast no vote).
    unknown : tuple of int or str
        The ids in the mapping that cast no vote (ignored).
    """

    names: tuple[str, ...]
    member: NDArray[np.int64]
    sizes: NDArray[np.int64]
    warnings: tuple[str, ...]
    unknown: tuple[Id, ...]

    @property
    def n_parties(self) -> int:
        return len(self.names)

    def indicator(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(party index, participant index) of every participant with a party."""
        participants = np.flatnonzero(self.member >= 0).astype(np.int64)
        return self.member[participants], participants


@dataclass(frozen=True)
class _Entry:
    participant: Id
    label: str
    where: str  # "file:line" or "participant 12" -- for messages


def parties_from_mapping(
    mapping: Mapping[object, object],
    participant_ids: Sequence[Id],
    *,
    source: str = "party mapping",
    min_party_size: int = DEFAULT_MIN_PARTY_SIZE,
) -> Parties:
    """Parties from a Python mapping participant id -> party name.

    Parameters
    ----------
    mapping : mapping of participant id to party name
        Party names are turned into text (``str``) and stripped; None means no party.
    participant_ids : sequence of int or str, length n_participants
        The participants of the votes (``VoteEvents.participant_ids``).
    """
    entries: list[_Entry] = []
    for raw, party in mapping.items():
        where = f"{source}: participant {raw!r}"
        try:
            participant = normalise_id(raw)
        except VoteInputError as exc:
            raise PartyInputError(f"{where}: {exc}") from None
        if party is None:
            continue
        label = str(party).strip()
        if label == "":
            raise PartyInputError(f"{where}: empty party name")
        entries.append(_Entry(participant, label, source))
    return _build(entries, participant_ids, source, min_party_size)


def parse_parties(
    text: str,
    participant_ids: Sequence[Id],
    *,
    source: str = "<parties>",
    min_party_size: int = DEFAULT_MIN_PARTY_SIZE,
) -> Parties:
    """Parties from CSV text with the header ``participant,party``.

    A row with an empty party leaves that participant without a party. Blank lines are
    skipped.

    Raises
    ------
    PartyInputError
        ``source:line: ...`` for a wrong header, a row without exactly two fields, an
        unreadable id, conflicting parties for one participant; and for fewer than two
        parties with voters or a party with too few voters.
    """
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    entries: list[_Entry] = []
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
        if header is None:
            raise PartyInputError(f"{source}: empty file; expected the header 'participant,party'")
        found = tuple(cell.strip().lower() for cell in header)
        if found != HEADER:
            raise PartyInputError(
                f"{source}:{reader.line_num}: header is {','.join(header)!r}; "
                "expected 'participant,party'"
            )
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != 2:
                raise PartyInputError(
                    f"{source}:{line}: expected 2 fields (participant,party), got {len(row)}"
                )
            where = f"{source}:{line}"
            try:
                participant = normalise_id(row[0])
            except VoteInputError as exc:
                raise PartyInputError(f"{where}: participant: {exc}") from None
            label = row[1].strip()
            if label:
                entries.append(_Entry(participant, label, where))
    except csv.Error as exc:
        raise PartyInputError(f"{source}:{reader.line_num}: unreadable CSV: {exc}") from None
    return _build(entries, participant_ids, source, min_party_size)


def read_parties(
    path: str | Path,
    participant_ids: Sequence[Id],
    *,
    min_party_size: int = DEFAULT_MIN_PARTY_SIZE,
) -> Parties:
    """Parties from a CSV file with the header ``participant,party`` (see :func:`parse_parties`)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PartyInputError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise PartyInputError(f"{file}: is a directory, not a party file") from None
    except UnicodeDecodeError as exc:
        raise PartyInputError(
            f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    return parse_parties(text, participant_ids, source=str(file), min_party_size=min_party_size)


def _build(
    entries: Iterable[_Entry],
    participant_ids: Sequence[Id],
    source: str,
    min_party_size: int,
) -> Parties:
    position = {pid: i for i, pid in enumerate(participant_ids)}
    member = np.full(len(participant_ids), -1, np.int64)
    chosen: dict[Id, _Entry] = {}
    labels: dict[str, int] = {}
    unknown: list[_Entry] = []
    for entry in entries:
        earlier = chosen.get(entry.participant)
        if earlier is not None:
            if earlier.label != entry.label:
                raise PartyInputError(
                    f"{entry.where}: participant {entry.participant!r} is given party "
                    f"{entry.label!r}, but {earlier.label!r} at {earlier.where}"
                )
            continue
        chosen[entry.participant] = entry
        index = position.get(entry.participant)
        if index is None:
            unknown.append(entry)
            continue
        member[index] = labels.setdefault(entry.label, len(labels))
    return _checked(tuple(labels), member, source, min_party_size, unknown)


def parties_from_labels(
    labels: Sequence[object],
    *,
    source: str = "party labels",
    min_party_size: int = DEFAULT_MIN_PARTY_SIZE,
) -> Parties:
    """Parties from one party name (or None) per participant of the votes, in their
    ``participant_ids`` order: the same as :func:`parties_from_mapping` given
    ``{participant_ids[i]: labels[i]}``, without a lookup per participant (names are
    cleaned once per distinct name)."""
    clean: dict[object, str] = {}
    for name in set(labels):
        if name is None:
            continue
        label = clean[name] = str(name).strip()
        if label == "":
            raise PartyInputError(f"{source}: empty party name")
    codes: dict[str, int] = {}
    member = np.fromiter(
        (-1 if name is None else codes.setdefault(clean[name], len(codes)) for name in labels),
        np.int64,
        len(labels),
    )
    return _checked(tuple(codes), member, source, min_party_size, [])


def _checked(
    names: tuple[str, ...],
    member: NDArray[np.int64],
    source: str,
    min_party_size: int,
    unknown: list[_Entry],
) -> Parties:
    sizes = np.bincount(member[member >= 0], minlength=len(names)).astype(np.int64)
    if len(names) < 2:
        found = f"only {names[0]!r}" if names else "none"
        raise PartyInputError(
            f"{source}: cross-side analysis needs at least 2 parties with participants who "
            f"voted; found {found}"
        )
    small = [f"{name!r} ({int(size)})" for name, size in zip(names, sizes, strict=True)]
    small = [text for text, size in zip(small, sizes, strict=True) if size < min_party_size]
    if small:
        raise PartyInputError(
            f"{source}: each party needs at least {min_party_size} participants who voted, "
            f"or its tallies would reveal individual votes; too small: {', '.join(small)}"
        )
    warnings = [
        f"{entry.where}: participant {entry.participant!r} cast no vote; ignored"
        for entry in unknown[:_MAX_LISTED_WARNINGS]
    ]
    if len(unknown) > _MAX_LISTED_WARNINGS:
        warnings.append(
            f"{source}: {len(unknown) - _MAX_LISTED_WARNINGS} more participants cast no vote; "
            "ignored"
        )
    return Parties(names, member, sizes, tuple(warnings), tuple(e.participant for e in unknown))


def labels_for(
    mapping: Mapping[object, object] | NDArray[np.integer], participant_ids: Sequence[Id]
) -> tuple[NDArray[np.int64], tuple[Id, ...]]:
    """Align any participant -> label mapping (e.g. opinion groups) with the votes; or
    integer labels in ``participant_ids`` order (negative: none), :func:`labels_in_order`.

    Returns
    -------
    codes : ndarray of int64, shape (n_participants,)
        Label index per participant, -1 where the mapping has no label (or None).
    labels : tuple of int or str
        The labels, sorted (ints before strings).
    """
    if isinstance(mapping, np.ndarray):
        return labels_in_order(mapping, len(participant_ids))
    position = {pid: i for i, pid in enumerate(participant_ids)}
    raw: dict[int, Id] = {}
    for key, value in mapping.items():
        try:
            index = position.get(normalise_id(key))
        except VoteInputError as exc:
            raise PartyInputError(f"participant {key!r}: {exc}") from None
        if index is None or value is None:
            continue
        try:
            raw[index] = normalise_id(value)
        except VoteInputError as exc:
            raise PartyInputError(f"participant {key!r}: label: {exc}") from None
    labels = tuple(sorted(set(raw.values()), key=_label_order))
    code = {label: i for i, label in enumerate(labels)}
    codes = np.full(len(participant_ids), -1, np.int64)
    if raw:
        codes[np.fromiter(raw, np.int64, len(raw))] = [code[v] for v in raw.values()]
    return codes, labels


def labels_in_order(
    groups: NDArray[np.integer], n_participants: int
) -> tuple[NDArray[np.int64], tuple[Id, ...]]:
    """:func:`labels_for` given each participant's label in ``participant_ids`` order as
    integers (negative: none), without a lookup per participant."""
    if groups.shape != (n_participants,):
        raise ValueError("groups were given for another vote set (participant count differs)")
    grouped = groups >= 0
    found, codes = np.unique(groups[grouped], return_inverse=True)
    group_of = np.full(n_participants, -1, np.int64)
    group_of[grouped] = codes
    return group_of, tuple(int(g) for g in found)


def _label_order(label: Id) -> tuple[int, int, str]:
    return (0, label, "") if isinstance(label, int) else (1, 0, label)
