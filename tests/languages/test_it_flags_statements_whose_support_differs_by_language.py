"""Analysis by language on planted data: participation and agreement per reading language,
and a statement whose support differs sharply between language versions flagged."""

from __future__ import annotations

import numpy as np
import pytest

from tracktwo.analysis.languages import by_language


def _planted() -> tuple[list[int], list[int], list[int], dict[int, str]]:
    """Twenty readers of Arabic (0-19), twenty of Hebrew (20-39). Statement 1 is agreed by
    nearly all in both; statement 2 by Arabic readers and rejected by Hebrew readers (a
    translation that shifted meaning); statement 3 split alike in both."""
    readers = {i: ("ar" if i < 20 else "he") for i in range(40)}
    rng = np.random.default_rng(7)
    p, s, v = [], [], []
    for person in range(40):
        arabic = person < 20
        p += [person, person, person]
        s += [1, 2, 3]
        v += [1 if rng.random() < 0.9 else 0, 1 if arabic else -1, 1 if person % 2 else -1]
    return p, s, v, readers


def test_it_flags_the_statement_the_translation_shifted() -> None:
    p, s, v, readers = _planted()
    result = by_language(p, s, v, readers)
    assert result.flagged == (2,)
    row = {r.statement: r for r in result.statements}
    assert row[2].gap == pytest.approx(1.0)
    assert row[1].gap is not None and row[1].gap < 0.3 and not row[1].flagged
    assert not row[3].flagged
    tallies = {t.language: t for t in row[2].tallies}
    assert (tallies["ar"].agree, tallies["he"].disagree) == (20, 20)


def test_it_counts_participation_per_language() -> None:
    p, s, v, readers = _planted()
    readers[40] = "he"  # joined, never voted
    result = by_language(p, s, v, readers)
    part = {x.language: x for x in result.participation}
    assert (part["ar"].participants, part["ar"].voters, part["ar"].votes) == (20, 20, 60)
    assert (part["he"].participants, part["he"].voters, part["he"].votes) == (21, 20, 60)


def test_it_counts_only_the_latest_vote() -> None:
    readers = {0: "ar", 1: "he"}
    result = by_language([0, 0, 1], [5, 5, 5], [-1, 1, 1], readers, min_voters=1)
    tallies = {t.language: t for t in result.statements[0].tallies}
    assert (tallies["ar"].agree, tallies["ar"].disagree) == (1, 0)
    assert result.statements[0].gap == 0.0


def test_it_ignores_languages_with_too_few_voters() -> None:
    p, s, v, readers = _planted()
    p, s, v = [*p, 40], [*s, 2], [*v, -1]
    readers[40] = "fr"  # one French reader disagreeing: too few to flag on its own
    result = by_language(p, s, v, readers)
    assert result.flagged == (2,)
    alone = by_language([40], [1], [-1], {40: "fr", 0: "ar"})
    assert alone.statements[0].gap is None and not alone.flagged


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"gap": 0}, "gap"), ({"min_voters": 0}, "min_voters")],
)
def test_it_refuses_bad_parameters(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        by_language([0], [1], [1], {0: "ar"}, **kwargs)  # type: ignore[arg-type]


def test_it_refuses_bad_votes() -> None:
    with pytest.raises(ValueError, match="values"):
        by_language([0], [1], [2], {0: "ar"})
    with pytest.raises(ValueError, match="one length"):
        by_language([0, 1], [1], [1], {0: "ar"})
