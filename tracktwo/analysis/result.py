"""What the opinion engine returns: frozen dataclasses over NumPy arrays, and their JSON form.

Arrays are indexed like the votes they came from: participant arrays by the index into
``events.participant_ids``, statement arrays by the index into ``events.statements.ids``.
``AnalysisResult.to_json()`` turns indices back into the ids as given and follows
``docs/analysis.schema.json``. Nothing here records who voted what beyond what the analysis
itself is (positions, groups, counts); the vote events are kept only so that ``update`` can
continue from this result, and never appear in the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.summaries import Summary, summaries_of
from tracktwo.analysis.votes import Id, VoteEvents

if TYPE_CHECKING:
    from tracktwo.analysis.kmeans_bounds import Bounds
    from tracktwo.analysis.live_state import LiveLink
    from tracktwo.analysis.summaries import Summaries, SummaryInputs


SOLVERS = ("faithful", "scalable", "auto")
Solver = Literal["faithful", "scalable", "auto"]
Direction = Literal["agree", "disagree"]


@dataclass(frozen=True)
class AnalysisParams:
    """Settings of the opinion engine; the defaults are Pol.is's.

    Attributes
    ----------
    max_groups, min_groups : int
        Group counts tried: ``min_groups .. min(max_groups, 2 + n_base // 12)``.
    base_clusters : int
        k of the base k-means (Pol.is: 100).
    seed : int
        Seeds the PCA start vector on a cold start; same votes and seed give the same result.
    min_votes_in_conv, min_in_conv : int
        In-conv rule: at least ``min(min_votes_in_conv, statements with votes)`` votes; topped
        up with the most active participants to ``min_in_conv``.
    pca_iterations : int
        Power iterations per component and update (warm start); early exit on convergence.
    group_iterations, base_iterations : int
        k-means iteration caps (Pol.is: 20 for groups, 100 for base clusters).
    k_buffer : int
        A new best k is shown after it has won this many updates in a row.
    solver : {"faithful", "scalable", "auto"}
        ``auto`` uses ``scalable`` above ``scalable_above`` participants.
    interval : float
        Confidence of the agree-share intervals (Wilson).
    scalable_above : int
        Participant count above which ``auto`` switches to the scalable solver.
    pca_tolerance : float
        Power iteration stops early when a component moves less than this (2-norm).
    """

    max_groups: int = 5
    min_groups: int = 2
    base_clusters: int = 100
    seed: int = 0
    min_votes_in_conv: int = 7
    min_in_conv: int = 15
    pca_iterations: int = 100
    group_iterations: int = 20
    base_iterations: int = 100
    k_buffer: int = 4
    solver: Solver = "auto"
    interval: float = 0.90
    scalable_above: int = 20_000
    pca_tolerance: float = 1e-10

    def __post_init__(self) -> None:
        positive = ("max_groups", "min_groups", "base_clusters", "pca_iterations", "k_buffer")
        for name in positive:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
        for name in ("min_votes_in_conv", "min_in_conv", "group_iterations", "base_iterations"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
        if self.min_groups > self.max_groups:
            raise ValueError(
                f"min_groups ({self.min_groups}) must not exceed max_groups ({self.max_groups})"
            )
        if self.solver not in SOLVERS:
            raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, got {self.solver!r}")
        if not 0.0 < float(self.interval) < 1.0:
            raise ValueError(f"interval must be strictly between 0 and 1, got {self.interval!r}")
        if not float(self.pca_tolerance) >= 0.0:
            raise ValueError(f"pca_tolerance must be >= 0, got {self.pca_tolerance!r}")

    def to_json(self) -> dict[str, Any]:
        return {
            "max_groups": self.max_groups,
            "min_groups": self.min_groups,
            "base_clusters": self.base_clusters,
            "seed": self.seed,
            "min_votes_in_conv": self.min_votes_in_conv,
            "min_in_conv": self.min_in_conv,
            "pca_iterations": self.pca_iterations,
            "group_iterations": self.group_iterations,
            "base_iterations": self.base_iterations,
            "k_buffer": self.k_buffer,
            "solver": self.solver,
            "interval": float(self.interval),
        }


@dataclass(frozen=True, eq=False)
class PCAResult:
    """Two principal components of the mean-imputed, centred vote matrix (export sign).

    Attributes
    ----------
    center : ndarray of float64, shape (n_statements,)
        Column means over voted cells; 0 for zeroed (moderated-out/meta) and vote-less columns.
    components : ndarray of float64, shape (2, n_statements)
        Unit vectors; 0 on zeroed and vote-less columns. Sign: largest entry positive on a
        cold start, aligned with the previous components on an update.
    explained : ndarray of float64, shape (2,)
        Share of the total variance along each component.
    geometry : ndarray of bool, shape (n_statements,)
        Columns of the geometry: statements with at least one vote.
    zeroed : ndarray of bool, shape (n_statements,)
        Geometry columns set to 0 for every participant (moderated out or meta).
    iterations : int
        Power iterations (or solver passes) run in this update.
    """

    center: NDArray[np.float64]
    components: NDArray[np.float64]
    explained: NDArray[np.float64]
    geometry: NDArray[np.bool_]
    zeroed: NDArray[np.bool_]
    iterations: int


@dataclass(frozen=True, eq=False)
class Clustering:
    """A k-means clustering with Pol.is's persistent cluster ids.

    Attributes
    ----------
    ids : ndarray of int64, shape (k,)
        Cluster ids, ascending (ids persist across updates; gaps are possible).
    centers : ndarray of float64, shape (k, 2)
    labels : ndarray of int64, shape (n_points,)
        Index into ``ids`` per clustered point, -1 for points not clustered.
    """

    ids: NDArray[np.int64]
    centers: NDArray[np.float64]
    labels: NDArray[np.int64]

    @property
    def k(self) -> int:
        return int(self.ids.shape[0])

    def sizes(self, weights: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
        """Members (or summed ``weights``) per cluster, shape (k,)."""
        inside = self.labels >= 0
        w = None if weights is None else weights[inside]
        return np.bincount(self.labels[inside], weights=w, minlength=self.k).astype(np.float64)


@dataclass(frozen=True, eq=False)
class KSelection:
    """How many groups: silhouettes per k and Pol.is's k smoother (buffer)."""

    silhouettes: dict[int, float]
    best: int
    shown: int
    streak: int
    buffer: int
    history: tuple[int, ...]


@dataclass(frozen=True)
class RepnessEntry:
    """One representative statement of a group (Pol.is repness), statement as an index."""

    statement: int
    direction: Direction
    p: float
    p_test: float
    r: float
    r_test: float
    n_agree: int
    n_disagree: int
    n_pass: int
    n: int
    best_agree: bool = False

    @property
    def n_success(self) -> int:
        return self.n_agree if self.direction == "agree" else self.n_disagree

    @property
    def score(self) -> float:
        return self.r * self.r_test * self.p * self.p_test


@dataclass(frozen=True)
class ConsensusEntry:
    """A statement most participants agree (or disagree) with, statement as an index."""

    statement: int
    n_success: int
    n: int
    p: float
    p_test: float


@dataclass(frozen=True, eq=False)
class Consensus:
    agree: tuple[ConsensusEntry, ...]
    disagree: tuple[ConsensusEntry, ...]


@dataclass(frozen=True, eq=False)
class Support:
    """Vote counts and Wilson intervals on the agree share (passes count as votes).

    Attributes
    ----------
    counts : ndarray of int64, shape (n_statements, 3)
        Agree, disagree, pass over all participants.
    group_counts : ndarray of int64, shape (n_groups, n_statements, 3)
        The same over each group's (in-conv) members.
    low, high : ndarray of float64, shape (n_statements,)
    group_low, group_high : ndarray of float64, shape (n_groups, n_statements)
    level : float
    """

    counts: NDArray[np.int64]
    group_counts: NDArray[np.int64]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    group_low: NDArray[np.float64]
    group_high: NDArray[np.float64]
    level: float


@dataclass(frozen=True, eq=False)
class EngineState:
    """What ``update`` continues from (never serialised).

    Attributes
    ----------
    cells : tuple of ndarrays (participant, statement, vote, rank)
        The vote that counts per cell, sorted by (participant, statement); ``rank`` is the
        row of that vote in ``AnalysisResult.events`` (its time is found there).
    next_rank : int
    participant_index : dict, optional
        Participant id -> index (built by the first ``update``).
    group_clusterings : dict of int -> Clustering
        Each k's group clustering, labels over base-cluster positions (warm starts).
    group_base_ids : dict of int -> ndarray of int64
        The base-cluster ids each k's labels refer to.
    rows : ndarray of int64, shape (n_participants,)
        Participant indices in the order of Pol.is's rating-matrix rows (``matrix.polis_rows``),
        the order its base k-means iterates the in-conv participants.
    smoother : KSelection, optional
        The k smoother the next update continues from (``None`` after ``engine.reload``).
    live : LiveLink, optional
        The counts, Gram sums and event buffers the chain of updates keeps
        (``live_state``); ``None`` after ``analyze``.
    base_bounds : Bounds, optional
        Per participant, bounds on the distances to the base-cluster centres the base k-means
        ended with (``kmeans_bounds``): the next update's k-means starts from them.
    """

    cells: tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int8], NDArray[np.int64]]
    next_rank: int
    participant_index: dict[Id, int] | None
    group_clusterings: dict[int, Clustering]
    group_base_ids: dict[int, NDArray[np.int64]]
    rows: NDArray[np.int64]
    smoother: KSelection | None
    live: LiveLink | None = None
    base_bounds: Bounds | None = None


@dataclass(frozen=True, eq=False)
class AnalysisResult:
    """One conversation analysed: geometry, groups, representative statements, common ground.

    Attributes
    ----------
    params : AnalysisParams
    solver : {"faithful", "scalable"}
        The path actually taken.
    events : VoteEvents
        Every vote so far (ids, statements, history), for ``update``.
    n_votes : int
        Votes that count (last vote per participant and statement).
    in_conv : ndarray of bool, shape (n_participants,)
    pca : PCAResult
    projection : ndarray of float64, shape (n_participants, 2)
    statement_projection : ndarray of float64, shape (n_statements, 2)
    extremity : ndarray of float64, shape (n_statements,)
    base : Clustering
        Base clusters over participants (labels -1 outside in-conv).
    group_of_base : ndarray of int64, shape (n_base,)
        Group id (0-based) of each base cluster.
    group_centers : ndarray of float64, shape (n_groups, 2)
    k : KSelection
    summary_of : SummaryInputs
        What the summaries below are computed from, at the first read of one (``summaries``).
    repness : tuple of tuple of RepnessEntry, length n_groups
    consensus : Consensus
    gac_agree, gac_disagree : ndarray of float64, shape (n_statements,)
    uncertainty : tuple of int
        Statement indices, most uncertain first.
    priority : ndarray of float64, shape (n_statements,)
    support : Support
    divisiveness : ndarray of float64, shape (n_statements,)
    divisive : tuple of int
        Statement indices with divisiveness > 0, most divisive first.
    state : EngineState
    """

    params: AnalysisParams
    solver: Literal["faithful", "scalable"]
    events: VoteEvents
    n_votes: int
    in_conv: NDArray[np.bool_]
    pca: PCAResult
    projection: NDArray[np.float64]
    statement_projection: NDArray[np.float64]
    extremity: NDArray[np.float64]
    base: Clustering
    group_of_base: NDArray[np.int64]
    group_centers: NDArray[np.float64]
    k: KSelection
    summary_of: SummaryInputs = field(repr=False)
    state: EngineState = field(repr=False)

    @cached_property
    def summaries(self) -> Summaries:
        """The summaries, computed once, when first read."""
        return summaries_of(self.__dict__)

    repness = Summary[tuple[tuple[RepnessEntry, ...], ...]]()
    consensus = Summary[Consensus]()
    gac_agree = Summary[NDArray[np.float64]]()
    gac_disagree = Summary[NDArray[np.float64]]()
    uncertainty = Summary[tuple[int, ...]]()
    priority = Summary[NDArray[np.float64]]()
    support = Summary[Support]()
    divisiveness = Summary[NDArray[np.float64]]()
    divisive = Summary[tuple[int, ...]]()

    @property
    def participant_ids(self) -> tuple[Id, ...]:
        return self.events.participant_ids

    @property
    def statement_ids(self) -> tuple[Id, ...]:
        return self.events.statements.ids

    @property
    def n_groups(self) -> int:
        return int(self.group_centers.shape[0])

    @property
    def group_labels(self) -> NDArray[np.int64]:
        """Group id per participant, -1 for participants not clustered; shape (n_participants,)."""
        labels = np.full(self.base.labels.shape[0], -1, np.int64)
        inside = self.base.labels >= 0
        labels[inside] = self.group_of_base[self.base.labels[inside]]
        return labels

    def group_members(self) -> list[list[Id]]:
        """Participant ids of each group, in participant order."""
        labels = self.group_labels
        ids = self.participant_ids
        return [[ids[i] for i in np.flatnonzero(labels == g)] for g in range(self.n_groups)]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON form (``docs/analysis.schema.json``)."""
        from tracktwo.analysis.result_json import result_to_json

        return result_to_json(self)
