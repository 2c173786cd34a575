"""Fair selection of a delegation: a pure wrapper over the Sortition Foundation's library.

A convener has a pool of candidates who consented to be considered, each described by
categories (side, gender, track, region, age band, level...), and wants a panel of a given
size that meets minimum and maximum quotas per category value, with at most one person per
household or organisation. The ``sortition-algorithms`` library (Flanigan, Gölz, Gupta,
Hennig and Procaccia, "Fair algorithms for selecting citizens' assemblies", Nature 596,
2021) finds a probability distribution over feasible panels that treats candidates as
equally as the quotas allow, and draws one panel from it.

Algorithms
    ``maximin`` (default) maximises the smallest selection probability of any candidate;
    ``nash`` maximises the product of the probabilities (their geometric mean); ``leximin``
    (maximin, then the second smallest, and so on) needs the commercial Gurobi solver and
    is refused with :class:`SolverUnavailable` where ``gurobipy`` is not installed -- it is
    never silently replaced by another algorithm.

Reproducibility
    The library draws its randomness from one provider that a seed fixes; :func:`select_panel`
    sets it from ``seed`` for the whole run (the distribution's start and the lottery), then
    puts back the library's default (the ``secrets`` module), under a lock. The same pool,
    quotas, size, algorithm and seed give the same panel; the result records the seed.

Feasibility
    :func:`check_feasible` names the first quota that cannot be met (``side=A``) in a
    one-line message, from the pool's counts first and, where only the quotas together
    with the households make a panel impossible, from the library's own relaxation.

Returns frozen dataclasses; imports no Django.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ALGORITHMS = ("maximin", "nash", "leximin")
HOUSEHOLD_KEY = "__household__"
MAX_SEED = 2**31 - 1
_LOCK = threading.Lock()


class SelectionProblem(ValueError):
    """Input a person must correct (the message says what and where)."""


class InfeasibleQuota(SelectionProblem):
    """No panel meets the quotas; ``quota`` names the one that cannot be met (``side=A``)."""

    def __init__(self, message: str, quota: str) -> None:
        super().__init__(message)
        self.quota = quota


class SolverUnavailable(SelectionProblem):
    """The algorithm asked for needs a solver that is not installed (leximin: Gurobi)."""


@dataclass(frozen=True)
class Quota:
    """At least ``min`` and at most ``max`` panel members with ``category`` = ``value``."""

    category: str
    value: str
    min: int
    max: int

    @property
    def label(self) -> str:
        return f"{self.category}={self.value}"


@dataclass(frozen=True)
class Candidate:
    """One person in the pool: an opaque id, a value per category, a household or organisation.

    ``household`` empty: the candidate shares it with nobody.
    """

    id: str
    values: Mapping[str, str]
    household: str = ""


@dataclass(frozen=True)
class Selection:
    """A drawn panel, the distribution it came from, and how to draw it again.

    Attributes
    ----------
    selected : tuple of str
        The panel's candidate ids, sorted.
    probabilities : dict of str to float
        Each candidate's probability of selection under the distribution (sum: panel size).
    seed, algorithm, panel_size : as given
    panels : int
        How many distinct panels the distribution gives a positive probability.
    """

    selected: tuple[str, ...]
    probabilities: dict[str, float] = field(hash=False)
    seed: int
    algorithm: str
    panel_size: int
    panels: int

    def as_json(self) -> dict[str, Any]:
        return {
            "selected": list(self.selected),
            "probabilities": {key: round(p, 6) for key, p in self.probabilities.items()},
            "seed": self.seed,
            "algorithm": self.algorithm,
        }


class _Key(str):
    """A candidate id whose hash is the same in every process.

    The library keeps panels in sets of frozensets of ids, whose order follows the ids'
    hashes; Python salts ``str`` hashes per process, so the same seed would give another
    panel in another process. With this hash the seed alone decides.
    The hash is computed once, when the key is made: the library looks ids up millions of
    times in a large draw.
    """

    _hash: int

    def __new__(cls, value: str) -> _Key:
        key = super().__new__(cls, value)
        digest = hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest()
        key._hash = int.from_bytes(digest, "big", signed=True)
        return key

    def __hash__(self) -> int:
        return self._hash


def leximin_available() -> bool:
    """Whether the Gurobi solver leximin needs is installed."""
    from sortition_algorithms.committee_generation import GUROBI_AVAILABLE

    return bool(GUROBI_AVAILABLE)


def categories_of(quotas: Sequence[Quota]) -> list[str]:
    return list(dict.fromkeys(quota.category for quota in quotas))


def _canonical(quotas: Sequence[Quota]) -> dict[str, dict[str, str]]:
    """Per category, the case-folded value -> the value as the quotas spell it."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for quota in quotas:
        out[quota.category][quota.value.strip().casefold()] = quota.value
    return out


def _check_quotas(quotas: Sequence[Quota], panel_size: int) -> None:
    seen: set[tuple[str, str]] = set()
    for quota in quotas:
        key = (quota.category, quota.value.strip().casefold())
        if key in seen:
            raise SelectionProblem(f"quota {quota.label} is given twice")
        seen.add(key)
        if quota.min < 0 or quota.max < quota.min:
            raise InfeasibleQuota(
                f"quota {quota.label} cannot be met: min {quota.min} is above max {quota.max}"
                if quota.max < quota.min
                else f"quota {quota.label}: min must not be negative",
                quota.label,
            )
    if panel_size < 1:
        raise SelectionProblem("the panel size must be at least 1")


def _values(candidates: Sequence[Candidate], quotas: Sequence[Quota]) -> dict[str, dict[str, str]]:
    """Each candidate's value per category, spelt as in the quotas; a value without a quota
    or a missing value is a mistake named by candidate and category."""
    canonical = _canonical(quotas)
    out: dict[str, dict[str, str]] = {}
    for candidate in candidates:
        if candidate.id in out:
            raise SelectionProblem(f"candidate {candidate.id} appears twice")
        row: dict[str, str] = {}
        for category, spelt in canonical.items():
            raw = str(candidate.values.get(category, "")).strip()
            if raw.casefold() not in spelt:
                raise SelectionProblem(
                    f"candidate {candidate.id}: {category} {raw!r} has no quota "
                    f"(add a row {category},{raw or '?'},min,max)"
                )
            row[category] = spelt[raw.casefold()]
        out[candidate.id] = row
    return out


def _households(candidates: Sequence[Candidate]) -> dict[str, str]:
    return {c.id: c.household.strip().casefold() or f"\x00{c.id}" for c in candidates}


def check_feasible(
    candidates: Sequence[Candidate], quotas: Sequence[Quota], panel_size: int
) -> None:
    """Raise :class:`InfeasibleQuota` naming a quota the pool cannot meet, from its counts.

    Counts distinct households: at most one person per household can sit on the panel.
    (The library's solver still checks the quotas together; see :func:`select_panel`.)
    """
    _check_quotas(quotas, panel_size)
    values = _values(candidates, quotas)
    households = _households(candidates)
    if panel_size > len(set(households.values())):
        raise InfeasibleQuota(
            f"panel size {panel_size} cannot be met: the pool has only "
            f"{len(set(households.values()))} candidates from distinct households",
            "panel size",
        )
    available: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, row in values.items():
        for category, value in row.items():
            available[(category, value)].add(households[key])
    for quota in quotas:
        have = len(available[(quota.category, quota.value)])
        if quota.min > have:
            raise InfeasibleQuota(
                f"quota {quota.label} cannot be met: min {quota.min}, but only {have} "
                "candidates (distinct households) have it",
                quota.label,
            )
    for category in categories_of(quotas):
        rows = [q for q in quotas if q.category == category]
        low = sum(q.min for q in rows)
        high = sum(min(q.max, len(available[(q.category, q.value)])) for q in rows)
        if low > panel_size:
            raise InfeasibleQuota(
                f"quotas for {category} cannot be met: their minimums add up to {low}, "
                f"above the panel size {panel_size}",
                category,
            )
        if high < panel_size:
            raise InfeasibleQuota(
                f"quotas for {category} cannot be met: at most {high} can be chosen "
                f"(maximums and pool), below the panel size {panel_size}",
                category,
            )


def _quiet_library() -> None:
    """Send the library's log lines (written to stdout by default) into the logging
    hierarchy like any other library's, so a command's output stays its own."""
    import logging

    from sortition_algorithms.utils import override_logging_handlers

    override_logging_handlers([logging.NullHandler()], [logging.NullHandler()])


def library_input(
    candidates: Sequence[Candidate], quotas: Sequence[Quota], households: bool
) -> tuple[Any, Any, list[str]]:
    from sortition_algorithms.features import FeatureValueMinMax, set_default_max_flex
    from sortition_algorithms.people import People

    features: Any = defaultdict(dict)
    for quota in quotas:
        features[quota.category][quota.value] = FeatureValueMinMax(min=quota.min, max=quota.max)
    set_default_max_flex(features)
    values = _values(candidates, quotas)
    house = _households(candidates)
    columns = [HOUSEHOLD_KEY] if households else []
    people = People(columns)
    for row_number, candidate in enumerate(candidates, start=1):
        data = {**values[candidate.id], HOUSEHOLD_KEY: house[candidate.id]}
        people.add(_Key(candidate.id), data, features, row_number)
    return dict(features), people, columns


def _named_infeasibility(error: Any, quotas: Sequence[Quota]) -> InfeasibleQuota:
    """The first quota the library's relaxation had to loosen, as a one-line message."""
    relaxed = getattr(error, "features", {}) or {}
    for quota in quotas:
        loose = relaxed.get(quota.category, {}).get(quota.value)
        if loose is None:
            continue
        if loose.min < quota.min:
            return InfeasibleQuota(
                f"quota {quota.label} cannot be met together with the other quotas and one "
                f"person per household: min {quota.min}, at most {loose.min} possible",
                quota.label,
            )
        if loose.max > quota.max:
            return InfeasibleQuota(
                f"quota {quota.label} cannot be met together with the other quotas and one "
                f"person per household: max {quota.max}, at least {loose.max} needed",
                quota.label,
            )
    return InfeasibleQuota("the quotas cannot be met together", "quotas")


def _distribution(
    algorithm: str, features: Any, people: Any, panel_size: int, columns: list[str]
) -> tuple[list[frozenset[str]], list[float]]:
    from sortition_algorithms import committee_generation as cg

    finder = {
        "maximin": cg.find_distribution_maximin,
        "nash": cg.find_distribution_nash,
        "leximin": cg.find_distribution_leximin,
    }[algorithm]
    committees, probabilities, _report = finder(features, people, panel_size, columns)
    return cg.standardize_distribution(committees, probabilities)


def marginals(
    committees: Sequence[frozenset[str]], probabilities: Sequence[float], ids: Sequence[str]
) -> dict[str, float]:
    """Each candidate's probability of selection: the total probability of the panels holding them."""
    out = dict.fromkeys(ids, 0.0)
    for committee, p in zip(committees, probabilities, strict=True):
        for key in committee:
            out[str(key)] += p
    return out


def _check_request(algorithm: str, seed: int) -> None:
    if algorithm not in ALGORITHMS:
        raise SelectionProblem(f"algorithm must be maximin or nash (or leximin), not {algorithm!r}")
    if algorithm == "leximin" and not leximin_available():
        raise SolverUnavailable(
            "leximin needs the Gurobi solver (gurobipy), which is not installed here: "
            "use --algorithm maximin or nash"
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 1 <= seed <= MAX_SEED:
        raise SelectionProblem(f"the seed must be a whole number from 1 to {MAX_SEED}")


def select_panel(
    candidates: Sequence[Candidate],
    quotas: Sequence[Quota],
    panel_size: int,
    seed: int,
    *,
    algorithm: str = "maximin",
    households: bool = True,
) -> Selection:
    """Draw a panel of ``panel_size`` meeting ``quotas``, reproducibly from ``seed``.

    Parameters
    ----------
    candidates : sequence of Candidate
        The pool (consent checked by the caller). Every category of the quotas must have a
        value with a quota for every candidate.
    quotas : sequence of Quota
    panel_size : int
    seed : int
        1 to 2**31 - 1 (the library reads 0 as "no seed").
    algorithm : {"maximin", "nash", "leximin"}
    households : bool
        At most one candidate per non-empty ``Candidate.household``.

    Raises
    ------
    SelectionProblem, InfeasibleQuota, SolverUnavailable
    """
    from sortition_algorithms.core import lottery_rounding
    from sortition_algorithms.errors import InfeasibleQuotasCantRelaxError, InfeasibleQuotasError
    from sortition_algorithms.utils import set_random_provider

    _check_request(algorithm, seed)
    pool = candidates if households else [Candidate(c.id, c.values) for c in candidates]
    check_feasible(pool, quotas, panel_size)
    features, people, columns = library_input(pool, quotas, households)
    with _LOCK:
        _quiet_library()
        set_random_provider(seed)
        try:
            committees, probabilities = _distribution(
                algorithm, features, people, panel_size, columns
            )
            panel = lottery_rounding(committees, probabilities, 1)[0]
        except InfeasibleQuotasError as error:
            raise _named_infeasibility(error, quotas) from None
        except InfeasibleQuotasCantRelaxError:
            raise InfeasibleQuota("the quotas cannot be met together", "quotas") from None
        finally:
            set_random_provider(None)
    return Selection(
        selected=tuple(sorted(str(key) for key in panel)),
        probabilities=marginals(committees, probabilities, [c.id for c in pool]),
        seed=seed,
        algorithm=algorithm,
        panel_size=panel_size,
        panels=len(committees),
    )
