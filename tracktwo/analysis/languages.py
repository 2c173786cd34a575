"""Agreement by language: does a statement find the same support in every language version?

A dialogue across languages shows each participant a statement in the language they read;
the votes pool under one statement id. If a translation shifted the meaning, the readers
of that version vote differently from the readers of the original. This module counts,
per statement and per reading language, agree / disagree / pass among each participant's
latest vote, and flags a statement whose agree share differs sharply between two
language versions (both read by enough voters) for a person to review the translation.

Pure NumPy: votes in, frozen dataclasses out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

DEFAULT_GAP = 0.3
DEFAULT_MIN_VOTERS = 5


@dataclass(frozen=True)
class LanguageTally:
    """Latest votes on one statement by readers of one language."""

    language: str
    agree: int
    disagree: int
    passes: int

    @property
    def n(self) -> int:
        return self.agree + self.disagree + self.passes

    @property
    def share(self) -> float | None:
        """Agree share (None with no voter)."""
        return self.agree / self.n if self.n else None


@dataclass(frozen=True)
class StatementByLanguage:
    """One statement's tallies by reading language, and whether it is flagged.

    ``gap`` is the largest difference in agree share between two languages each with at
    least ``min_voters`` voters (None when fewer than two such languages).
    """

    statement: int
    tallies: tuple[LanguageTally, ...]
    gap: float | None
    flagged: bool


@dataclass(frozen=True)
class LanguageParticipation:
    """Per reading language: participants, those who voted, and their votes (latest)."""

    language: str
    participants: int
    voters: int
    votes: int


@dataclass(frozen=True)
class ByLanguage:
    """The result: participation per language and every statement's tallies and flag."""

    languages: tuple[str, ...]
    participation: tuple[LanguageParticipation, ...]
    statements: tuple[StatementByLanguage, ...]
    gap_threshold: float
    min_voters: int

    @property
    def flagged(self) -> tuple[int, ...]:
        """Ids of the statements flagged for review, in statement order."""
        return tuple(s.statement for s in self.statements if s.flagged)


def _latest(
    participants: np.ndarray, statements: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (participant, statement)'s last vote (events are in time order)."""
    if participants.size == 0:
        return participants, statements, values
    keys = np.stack([participants, statements], axis=1)
    reversed_keys = keys[::-1]
    _unique, first = np.unique(reversed_keys, axis=0, return_index=True)
    keep = np.sort(len(keys) - 1 - first)
    return participants[keep], statements[keep], values[keep]


def _gap(tallies: list[LanguageTally], min_voters: int) -> float | None:
    shares = [t.share for t in tallies if t.n >= min_voters and t.share is not None]
    return float(max(shares) - min(shares)) if len(shares) >= 2 else None


def _statement_rows(
    languages: tuple[str, ...],
    lang_of: np.ndarray,
    s: np.ndarray,
    v: np.ndarray,
    gap: float,
    min_voters: int,
) -> list[StatementByLanguage]:
    rows = []
    for statement in sorted(set(s.tolist())):
        on = s == statement
        tallies = [
            LanguageTally(
                code,
                int(((lang_of == i) & on & (v == 1)).sum()),
                int(((lang_of == i) & on & (v == -1)).sum()),
                int(((lang_of == i) & on & (v == 0)).sum()),
            )
            for i, code in enumerate(languages)
        ]
        found = _gap(tallies, min_voters)
        flagged = found is not None and found >= gap
        rows.append(StatementByLanguage(statement, tuple(tallies), found, flagged))
    return rows


def by_language(
    participants: ArrayLike,
    statements: ArrayLike,
    values: ArrayLike,
    reader_language: dict[int, str],
    *,
    gap: float = DEFAULT_GAP,
    min_voters: int = DEFAULT_MIN_VOTERS,
) -> ByLanguage:
    """Tally votes by the language each voter reads, and flag diverging statements.

    Parameters
    ----------
    participants, statements, values : array-like of int, one entry per vote event
        In time order; ``values`` is +1 agree, -1 disagree, 0 pass.
    reader_language : dict of int to str
        Every participant's reading language (participants who never voted count too).
        Votes by someone not in it are left out.
    gap : float
        A statement is flagged when its agree share differs by at least this much
        between two languages.
    min_voters : int
        A language counts towards the flag only with at least this many voters on the
        statement (small samples differ by chance).

    Returns
    -------
    ByLanguage
    """
    if not 0 < gap <= 1:
        raise ValueError("gap must be in (0, 1]")
    if min_voters < 1:
        raise ValueError("min_voters must be at least 1")
    p = np.asarray(participants, dtype=np.int64)
    s = np.asarray(statements, dtype=np.int64)
    v = np.asarray(values, dtype=np.int64)
    if not (p.shape == s.shape == v.shape) or p.ndim != 1:
        raise ValueError("participants, statements and values must be 1-d and of one length")
    if np.any((v < -1) | (v > 1)):
        raise ValueError("values must be -1, 0 or +1")
    known = np.array([int(x) in reader_language for x in p], dtype=bool)
    p, s, v = _latest(p[known], s[known], v[known])
    languages = tuple(sorted(set(reader_language.values())))
    lang_of = np.array([languages.index(reader_language[int(x)]) for x in p], dtype=np.int64)
    participation = tuple(
        LanguageParticipation(
            code,
            sum(1 for lang in reader_language.values() if lang == code),
            len(set(p[lang_of == i].tolist())),
            int((lang_of == i).sum()),
        )
        for i, code in enumerate(languages)
    )
    rows = _statement_rows(languages, lang_of, s, v, gap, min_voters)
    return ByLanguage(languages, participation, tuple(rows), gap, min_voters)
