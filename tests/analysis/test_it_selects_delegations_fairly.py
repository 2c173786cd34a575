"""Fair selection (sortition-algorithms through tracktwo.analysis.selection) on generated pools."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from sortition_algorithms.core import find_random_sample
from sortition_algorithms.utils import RunTable, set_random_provider

from tracktwo.analysis.selection import (
    Candidate,
    InfeasibleQuota,
    Quota,
    SelectionProblem,
    SolverUnavailable,
    leximin_available,
    library_input,
    select_panel,
)

QUOTAS = [
    Quota("side", "A", 3, 5),
    Quota("side", "B", 3, 5),
    Quota("gender", "woman", 3, 5),
    Quota("gender", "man", 3, 5),
    Quota("level", "top", 1, 3),
    Quota("level", "middle", 2, 5),
    Quota("level", "grassroots", 2, 5),
]


def generated_pool(size: int, seed: int, *, shared: float = 0.3) -> list[Candidate]:
    """A pool in which about ``shared`` of the candidates share a household with another."""
    rng = random.Random(seed)
    pool = []
    for i in range(size):
        values = {
            "side": rng.choice("AB"),
            "gender": rng.choice(["woman", "man"]),
            "level": rng.choice(["top", "middle", "middle", "grassroots"]),
        }
        household = f"h{rng.randrange(size // 6)}" if rng.random() < shared else ""
        pool.append(Candidate(f"c{i}", values, household))
    return pool


@pytest.mark.parametrize("seed", [1, 2])
def test_it_meets_every_quota_and_takes_one_per_household(seed: int) -> None:
    pool = generated_pool(40, seed)
    assert max(Counter(c.household for c in pool if c.household).values()) > 1
    result = select_panel(pool, QUOTAS, 8, seed)
    chosen = [c for c in pool if c.id in result.selected]
    assert len(chosen) == 8
    for quota in QUOTAS:
        n = sum(1 for c in chosen if c.values[quota.category] == quota.value)
        assert quota.min <= n <= quota.max, quota
    households = [c.household for c in chosen if c.household]
    assert len(households) == len(set(households))


def test_it_draws_the_same_panel_from_the_same_seed_and_another_from_another() -> None:
    pool = generated_pool(40, 3)
    first = select_panel(pool, QUOTAS, 8, 11)
    again = select_panel(pool, QUOTAS, 8, 11)
    other = select_panel(pool, QUOTAS, 8, 12)
    assert again.selected == first.selected and again.seed == 11
    assert other.selected != first.selected


def test_it_gives_probabilities_that_sum_to_the_panel_size() -> None:
    pool = generated_pool(40, 4)
    for algorithm in ("maximin", "nash"):
        result = select_panel(pool, QUOTAS, 8, 5, algorithm=algorithm)
        assert sum(result.probabilities.values()) == pytest.approx(8, abs=1e-6)
        assert set(result.probabilities) == {c.id for c in pool}
        assert all(-1e-9 <= p <= 1 + 1e-9 for p in result.probabilities.values())
        assert result.algorithm == algorithm


def test_it_matches_the_librarys_own_probabilities_and_panel() -> None:
    pool = generated_pool(30, 6)
    ours = select_panel(pool, QUOTAS, 8, 21)
    features, people, columns = library_input(pool, QUOTAS, True)
    set_random_provider(21)
    try:
        lottery, report = find_random_sample(
            features, people, 8, columns, selection_algorithm="maximin"
        )
    finally:
        set_random_provider(None)
    table = next(e for e in report._data if isinstance(e, RunTable) and e.headers[0] == "Agent ID")
    library = {str(row[0]): str(row[1]) for row in table.data}
    assert library == {key: f"{p:.4%}" for key, p in ours.probabilities.items()}
    assert ours.selected == tuple(sorted(str(key) for key in lottery[0]))


def test_it_gives_everyone_the_same_chance_when_the_quotas_allow() -> None:
    pool = [Candidate(f"c{i}", {"side": "AB"[i % 2]}) for i in range(20)]
    result = select_panel(pool, [Quota("side", "A", 2, 2), Quota("side", "B", 2, 2)], 4, 3)
    assert all(p == pytest.approx(0.2, abs=1e-6) for p in result.probabilities.values())


def test_it_names_the_quota_the_pool_cannot_meet() -> None:
    pool = generated_pool(40, 7)
    tops = sum(1 for c in pool if c.values["level"] == "top")
    quotas = [*QUOTAS[:4], Quota("level", "top", tops + 1, tops + 2), *QUOTAS[5:]]
    with pytest.raises(InfeasibleQuota) as raised:
        select_panel(pool, quotas, 8, 1, households=False)
    assert raised.value.quota == "level=top"
    assert "level=top" in str(raised.value) and "\n" not in str(raised.value)


def test_it_names_the_category_whose_minimums_exceed_the_panel() -> None:
    quotas = [Quota("side", "A", 5, 6), Quota("side", "B", 5, 6)]
    pool = [Candidate(f"c{i}", {"side": "AB"[i % 2]}) for i in range(30)]
    with pytest.raises(
        InfeasibleQuota, match="quotas for side cannot be met: their minimums add up to 10"
    ):
        select_panel(pool, quotas, 8, 1)


def test_it_names_the_quota_households_make_impossible() -> None:
    """Three A candidates, two of them in one household: min 3 of A cannot be met."""
    pool = [
        Candidate("a1", {"side": "A"}, "same"),
        Candidate("a2", {"side": "A"}, "same"),
        Candidate("a3", {"side": "A"}),
        *(Candidate(f"b{i}", {"side": "B"}) for i in range(6)),
    ]
    with pytest.raises(InfeasibleQuota) as raised:
        select_panel(pool, [Quota("side", "A", 3, 3), Quota("side", "B", 1, 3)], 4, 1)
    assert raised.value.quota == "side=A"
    assert select_panel(
        pool, [Quota("side", "A", 3, 3), Quota("side", "B", 1, 3)], 4, 1, households=False
    )


def test_it_names_a_value_without_a_quota_and_a_bad_seed() -> None:
    pool = [Candidate("c1", {"side": "C"}), Candidate("c2", {"side": "A"})]
    with pytest.raises(SelectionProblem, match="candidate c1: side 'C' has no quota"):
        select_panel(pool, [Quota("side", "A", 0, 2)], 1, 1)
    with pytest.raises(SelectionProblem, match="seed"):
        select_panel(pool[1:], [Quota("side", "A", 0, 2)], 1, 0)


@pytest.mark.skipif(leximin_available(), reason="Gurobi is installed here")
def test_it_refuses_leximin_without_its_solver() -> None:
    pool = [Candidate(f"c{i}", {"side": "A"}) for i in range(3)]
    with pytest.raises(SolverUnavailable, match="Gurobi"):
        select_panel(pool, [Quota("side", "A", 0, 3)], 2, 1, algorithm="leximin")
