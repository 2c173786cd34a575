"""An analysis's per-statement summaries, computed when first read.

Representative statements, consensus, group-aware consensus, uncertainty, routing priority,
support and divisiveness follow from an analysis's vote tallies (overall and by group) and its
statements' extremity; nothing of an update's state carries them to the next update. So an
``AnalysisResult`` keeps those inputs (:class:`SummaryInputs`) and computes the summaries on
the first read of any of them (:func:`summarise`): a replay's intermediate results, which
nobody reads, never compute theirs (about 2.5 ms an update of the 100k replay), and a result
that is read gives the same numbers as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:  # result.py reads this module first: its types are read from there later
    from tracktwo.analysis.result import AnalysisResult, Consensus, RepnessEntry, Support

__all__ = ["NAMES", "Summaries", "Summary", "SummaryInputs", "summaries_of", "summarise"]

T = TypeVar("T")

NAMES = ("repness", "consensus", "gac_agree", "gac_disagree", "uncertainty", "priority",
         "support", "divisiveness", "divisive")  # fmt: skip


@dataclass(frozen=True, eq=False)
class SummaryInputs:
    """What the summaries are computed from: copies, which later updates do not change.

    Attributes
    ----------
    group_tallies : ndarray of int64, shape (n_groups, n_statements, 3)
    overall : ndarray of int64, shape (n_statements, 3)
    candidates : ndarray of int64
        The statements in the geometry (ascending).
    extremity : ndarray of float64, shape (n_statements,)
    is_meta : ndarray of bool, shape (n_statements,)
    interval : float
        The support intervals' confidence (``AnalysisParams.interval``).
    """

    group_tallies: NDArray[np.int64]
    overall: NDArray[np.int64]
    candidates: NDArray[np.int64]
    extremity: NDArray[np.float64]
    is_meta: NDArray[np.bool_]
    interval: float


@dataclass(frozen=True, eq=False)
class Summaries:
    """The summaries (see ``AnalysisResult``, which reads them from here)."""

    repness: tuple[tuple[RepnessEntry, ...], ...]
    consensus: Consensus
    gac_agree: NDArray[np.float64]
    gac_disagree: NDArray[np.float64]
    uncertainty: tuple[int, ...]
    priority: NDArray[np.float64]
    support: Support
    divisiveness: NDArray[np.float64]
    divisive: tuple[int, ...]


class Summary(Generic[T]):
    """An ``AnalysisResult`` summary: the same-named attribute of its ``summaries``."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, result: AnalysisResult, owner: type | None = None) -> T:
        return cast(T, getattr(result.summaries, self.name))


def summaries_of(fields: dict[str, Any]) -> Summaries:
    """The summaries of a result's ``fields`` (its ``__dict__``): from its ``summary_of``, or,
    pickled before the summaries were computed when read, from the summaries it holds."""
    if "summary_of" not in fields:
        return Summaries(**{name: fields[name] for name in NAMES})
    return summarise(fields["summary_of"])


def summarise(inputs: SummaryInputs) -> Summaries:
    """The summaries of ``inputs``, in Pol.is's terms (see each function)."""
    from tracktwo.analysis.consensus import consensus, group_aware_consensus, uncertain
    from tracktwo.analysis.repness import select_repness
    from tracktwo.analysis.routing import priority
    from tracktwo.analysis.support import divisiveness, support

    group_tallies, overall, candidates = inputs.group_tallies, inputs.overall, inputs.candidates
    gac_agree, gac_disagree = group_aware_consensus(group_tallies)
    counted = support(overall, group_tallies, inputs.interval)
    divisive_scores, divisive = divisiveness(counted, candidates)
    return Summaries(
        repness=select_repness(group_tallies, candidates),
        consensus=consensus(overall, candidates),
        gac_agree=gac_agree,
        gac_disagree=gac_disagree,
        uncertainty=uncertain(overall, candidates),
        priority=priority(group_tallies, inputs.extremity, inputs.is_meta),
        support=counted,
        divisiveness=divisive_scores,
        divisive=divisive,
    )
