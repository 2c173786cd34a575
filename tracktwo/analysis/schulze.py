"""Ranked choice among candidate joint texts: the Schulze method with winning votes.

When a dialogue has drafted several wordings of a joint statement, participants rank
them and the Schulze method picks the wording that beats every other one through the
strongest chain of pairwise majorities.

Ballots
    A ballot lists candidates from most to least preferred. Candidates missing from a
    ballot rank below every candidate on it and equal among themselves; an empty
    ballot therefore expresses no preference and is ignored (and counted).

Method
    ``d[i, j]`` is the number of ballots ranking ``i`` above ``j``. The link ``i -> j``
    has strength ``d[i, j]`` when ``d[i, j] > d[j, i]`` (winning votes), else 0.
    ``p[i, j]`` is the strength of the strongest (widest) path from ``i`` to ``j``,
    found by a Floyd-Warshall pass: ``p[i, j] = max(p[i, j], min(p[i, k], p[k, j]))``.
    ``i`` beats ``j`` when ``p[i, j] > p[j, i]``; Schulze (2011, section 4.1) proves this
    relation transitive, so it has no cycles. The order is built in levels: first the
    candidates nobody beats (the Schulze winners), then those nobody among the rest
    beats, and so on. A level of two or more is a *tie*: none of them beats another.
    (Indifference is not transitive with partial ballots -- after ``[A]`` and
    ``[B, C]``, B beats C while A ties both -- so ties are levels, not classes of
    mutually indifferent candidates; here the order is A, B, C with A and B tied.)

Tie rule
    Within a tie, and so for the ``winner`` when the top level is a tie, candidates keep
    the order in which they first appear: in the ``candidates`` argument if given,
    otherwise reading the ballots top to bottom, each left to right (for a ballot file:
    the first line and column where the candidate is named). The result always reports
    the ties, so a facilitator can see that the choice of winner was a convention.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

# Ballots processed per block when counting pairwise preferences (bounds the
# temporary (block, n, n) boolean array to a few megabytes).
_BLOCK_CELLS = 4_000_000


class BallotError(ValueError):
    """Ballots that cannot be counted; the message names the file, line and field."""


@dataclass(frozen=True, eq=False)
class SchulzeResult:
    """The Schulze ranking of candidate texts.

    Attributes
    ----------
    candidates : tuple of str, length n
        Every candidate, in first-appearance order (the tie rule's order).
    pairwise : ndarray of int64, shape (n, n)
        ``pairwise[i, j]``: ballots ranking candidate ``i`` above candidate ``j``.
    strength : ndarray of int64, shape (n, n)
        Strongest-path strengths ``p[i, j]`` (winning votes).
    order : tuple of str, length n
        Best first; tied candidates in first-appearance order.
    ties : tuple of tuple of str
        Groups of two or more candidates the method cannot separate, best group first.
    n_ballots : int
        Ballots read, empty ones included.
    n_empty : int
        Empty ballots (ignored).
    """

    candidates: tuple[str, ...]
    pairwise: NDArray[np.int64]
    strength: NDArray[np.int64]
    order: tuple[str, ...]
    ties: tuple[tuple[str, ...], ...]
    n_ballots: int
    n_empty: int

    @property
    def winner(self) -> str:
        """The first of ``order``: the Schulze winner, by the tie rule if the top is tied."""
        return self.order[0]

    @property
    def winner_is_tied(self) -> bool:
        """Whether the winner shares the top level with another candidate."""
        return bool(self.ties) and self.order[0] in self.ties[0]

    def to_json(self) -> dict[str, Any]:
        """``{"winner": ..., "order": [...], "ties": [[...], ...]}``."""
        return {
            "winner": self.winner,
            "order": list(self.order),
            "ties": [list(group) for group in self.ties],
        }


def schulze(
    ballots: Iterable[Sequence[str]], candidates: Sequence[str] | None = None
) -> SchulzeResult:
    """Rank candidates by the Schulze method with winning votes.

    Parameters
    ----------
    ballots : iterable of sequence of str
        Each ballot: candidates from most to least preferred; may be partial or empty.
    candidates : sequence of str, optional
        All candidates, in the order used by the tie rule. When omitted: every candidate
        named on a ballot, in order of first appearance.

    Raises
    ------
    BallotError
        No candidates at all, a candidate named twice on one ballot, or (when
        ``candidates`` is given) a ballot naming an unknown candidate.
    """
    ballot_list = [list(ballot) for ballot in ballots]
    index: dict[str, int] = {}
    if candidates is not None:
        for name in candidates:
            if name in index:
                raise BallotError(f"candidate {name!r} is listed twice")
            index[name] = len(index)
    for number, ballot in enumerate(ballot_list, start=1):
        seen: set[str] = set()
        for name in ballot:
            if name in seen:
                raise BallotError(f"ballot {number}: candidate {name!r} is ranked twice")
            seen.add(name)
            if name not in index:
                if candidates is not None:
                    raise BallotError(f"ballot {number}: unknown candidate {name!r}")
                index[name] = len(index)
    names = tuple(index)
    if not names:
        raise BallotError("no candidates: every ballot is empty")
    n = len(names)
    n_empty = sum(1 for ballot in ballot_list if not ballot)
    ranks = _rank_matrix(ballot_list, index)
    pairwise = _pairwise(ranks, n)
    strength = strongest_paths(pairwise)
    order, ties = _order(strength, names)
    return SchulzeResult(names, pairwise, strength, order, ties, len(ballot_list), n_empty)


def _rank_matrix(ballots: list[list[str]], index: dict[str, int]) -> NDArray[np.int32]:
    """Rank of each candidate on each non-empty ballot, 0 best; missing = ballot length."""
    kept = [ballot for ballot in ballots if ballot]
    lengths = np.fromiter((len(b) for b in kept), np.int64, count=len(kept))
    ranks = np.repeat(lengths.astype(np.int32)[:, None], len(index), axis=1)
    if kept:
        rows = np.repeat(np.arange(len(kept)), lengths)
        cols = np.fromiter((index[name] for b in kept for name in b), np.int64, count=rows.size)
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        ranks[rows, cols] = (np.arange(rows.size) - starts).astype(np.int32)
    return ranks


def _pairwise(ranks: NDArray[np.int32], n: int) -> NDArray[np.int64]:
    """``d[i, j]`` = ballots with rank of i < rank of j, counted block by block."""
    d = np.zeros((n, n), np.int64)
    block = max(1, _BLOCK_CELLS // (n * n))
    for start in range(0, ranks.shape[0], block):
        part = ranks[start : start + block]
        d += (part[:, :, None] < part[:, None, :]).sum(axis=0, dtype=np.int64)
    return d


def strongest_paths(pairwise: NDArray[np.int64]) -> NDArray[np.int64]:
    """Widest-path strengths with winning votes (Floyd-Warshall, vectorised per step).

    Parameters
    ----------
    pairwise : ndarray of int, shape (n, n)
        ``pairwise[i, j]``: ballots preferring ``i`` to ``j``.

    Returns
    -------
    ndarray of int64, shape (n, n), zero diagonal
    """
    d = np.asarray(pairwise, dtype=np.int64)
    p = np.where(d > d.T, d, 0)
    np.fill_diagonal(p, 0)
    for k in range(p.shape[0]):
        np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]), out=p)
    np.fill_diagonal(p, 0)
    return p


def _order(
    strength: NDArray[np.int64], names: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Levels of the Schulze relation, best first; each level in first-appearance order.

    Level 1 holds the Schulze winners (candidates no one beats); each next level holds
    the candidates no remaining candidate beats. Nobody in a level beats another in it,
    and whoever beats a candidate sits on an earlier level, so the order respects every
    Schulze preference.
    """
    beats = strength > strength.T
    remaining = np.ones(len(names), np.bool_)
    order: list[str] = []
    ties: list[tuple[str, ...]] = []
    while remaining.any():
        beaten = (beats & remaining[:, None]).any(axis=0)
        level = np.flatnonzero(remaining & ~beaten)  # never empty: the relation is acyclic
        members = tuple(names[i] for i in level)
        order.extend(members)
        if len(members) > 1:
            ties.append(members)
        remaining[level] = False
    return tuple(order), tuple(ties)


def parse_ballots(text: str, source: str = "<ballots>") -> list[list[str]]:
    """Ballots from CSV text: one ballot per line, candidates best first, no header.

    Fields are stripped of surrounding spaces and may be quoted (a candidate text may
    hold a comma). A blank line is an empty ballot.

    Raises
    ------
    BallotError
        ``source:line: ...`` for an empty field, a candidate named twice on one line,
        or unreadable CSV.
    """
    ballots: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    line = 0
    try:
        for row in reader:
            line = reader.line_num
            fields = [field.strip() for field in row]
            if not fields or all(field == "" for field in fields):
                ballots.append([])
                continue
            seen: dict[str, int] = {}
            for column, name in enumerate(fields, start=1):
                if name == "":
                    raise BallotError(
                        f"{source}:{line}: field {column} is empty (write candidates separated "
                        "by single commas)"
                    )
                if name in seen:
                    raise BallotError(
                        f"{source}:{line}: candidate {name!r} is ranked twice "
                        f"(fields {seen[name]} and {column})"
                    )
                seen[name] = column
            ballots.append(fields)
    except csv.Error as exc:
        raise BallotError(
            f"{source}:{reader.line_num or line + 1}: unreadable CSV: {exc}"
        ) from None
    return ballots


def read_ballots(path: str | Path) -> list[list[str]]:
    """Ballots from a CSV file (see :func:`parse_ballots`)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BallotError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise BallotError(f"{file}: is a directory, not a ballot file") from None
    except UnicodeDecodeError as exc:
        raise BallotError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_ballots(text, str(file))
