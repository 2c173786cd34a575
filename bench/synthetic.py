"""Synthetic Pol.is-style conversations with planted opinion groups, for benchmarks.

The model, with every choice made so that the planted answer is known:

- **Groups.** ``n_groups`` groups (sizes in the ratio n_groups : n_groups - 1 : ... : 1) whose
  centres sit on a circle of radius ``spread`` in a two-dimensional opinion space. Each participant
  sits at its group's centre plus Gaussian noise (``noise``), so the groups are recoverable by a
  two-component PCA and k-means, as in Pol.is, but not trivially pure.
- **Statements.** Each has a loading vector in the same plane and an offset. Kinds (``KINDS``):
  divisive (loading of length 1..2, offset near 0), consensus-agree (small loading, offset +2.5:
  every group agrees), consensus-disagree (offset -2.5), uncertain (half of the votes are passes).
  A vote is a pass with the statement's pass rate, else agree with probability
  ``sigmoid(sharpness * <position, loading> + offset)``, else disagree.
- **Participation** is heavy-tailed: votes per participant are lognormal with mean ``mean_votes``
  (sigma ``votes_sigma``), rounded and clipped to [1, n_statements]. Which statements a participant
  votes on follows a popularity skew (Zipf weights ``1 / rank ** popularity`` over a random
  statement order), without repeats.
- **Time.** Participants arrive over ``days`` days (participant ids in order of arrival, as Pol.is
  numbers them); each votes in one sitting, a few seconds apart. A fraction ``revote_rate`` of votes is
  cast again later (the later vote counts), as in real exports.
- **Moderation.** A fraction ``moderated_out`` of statements is moderated out (``moderated = -1``);
  their votes stay in ``votes.csv``, as in Pol.is exports.

Everything is vectorised NumPy with compact dtypes; 1M participants x 50 votes generate in seconds.
The same arguments and seed give the same conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

DIVISIVE, CONSENSUS_AGREE, CONSENSUS_DISAGREE, UNCERTAIN = 0, 1, 2, 3
KINDS = ("divisive", "consensus-agree", "consensus-disagree", "uncertain")
EPOCH_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


@dataclass(frozen=True)
class Params:
    """How a synthetic conversation is drawn (see the module docstring)."""

    n_participants: int
    n_statements: int
    mean_votes: float = 50.0
    votes_sigma: float = 1.0
    n_groups: int = 4
    spread: float = 1.5
    noise: float = 0.35
    sharpness: float = 2.0
    popularity: float = 0.6
    kind_shares: tuple[float, float, float, float] = (0.72, 0.10, 0.06, 0.12)
    pass_rate: float = 0.12
    uncertain_pass_rate: float = 0.5
    revote_rate: float = 0.005
    moderated_out: float = 0.02
    days: float = 30.0
    seed: int = 0


@dataclass(frozen=True, eq=False)
class Conversation:
    """A generated conversation: every vote event in time order, and the planted truth.

    Attributes
    ----------
    participant : ndarray of int32, shape (n_votes,)
        Participant index (= Pol.is ``voter-id``), 0-based in order of arrival.
    statement : ndarray of int32, shape (n_votes,)
        Statement index (= Pol.is ``comment-id``).
    vote : ndarray of int8, shape (n_votes,)
        +1 agree, -1 disagree, 0 pass (Pol.is export sign).
    timestamp_ms : ndarray of int64, shape (n_votes,)
        Milliseconds since the epoch, non-decreasing.
    group : ndarray of int8, shape (n_participants,)
        Planted group of each participant.
    position : ndarray of float32, shape (n_participants, 2)
        Planted opinion position of each participant.
    kind : ndarray of int8, shape (n_statements,)
        Planted statement kind, an index into ``KINDS``.
    loading : ndarray of float32, shape (n_statements, 2)
    offset : ndarray of float32, shape (n_statements,)
    moderated : ndarray of int8, shape (n_statements,)
        -1 moderated out, 1 accepted.
    weight : ndarray of float32, shape (n_statements,)
        Planted popularity: the chance that a draw picks each statement.
    params : Params
    """

    participant: NDArray[np.int32]
    statement: NDArray[np.int32]
    vote: NDArray[np.int8]
    timestamp_ms: NDArray[np.int64]
    group: NDArray[np.int8]
    position: NDArray[np.float32]
    kind: NDArray[np.int8]
    loading: NDArray[np.float32]
    offset: NDArray[np.float32]
    moderated: NDArray[np.int8]
    weight: NDArray[np.float32]
    params: Params

    @property
    def n_participants(self) -> int:
        return int(self.group.shape[0])

    @property
    def n_statements(self) -> int:
        return int(self.kind.shape[0])

    def __len__(self) -> int:
        return int(self.vote.shape[0])


def generate(params: Params) -> Conversation:
    """Draw a conversation; the same ``params`` (seed included) give the same arrays."""
    if params.n_participants < 1 or params.n_statements < 1:
        raise ValueError("need at least one participant and one statement")
    rng = np.random.default_rng(params.seed)
    n_s = params.n_statements

    group, position = _participants(rng, params)
    kind, loading, offset, pass_rate = _statements(rng, params)
    counts = _votes_per_participant(rng, params)
    weights = _popularity_weights(rng, n_s, params.popularity)
    participant, statement = _choose_statements(rng, counts, weights)
    vote = _cast(rng, participant, statement, position, loading, offset, pass_rate, params)
    realised = np.bincount(participant, minlength=params.n_participants).astype(np.int32)
    timestamp = _times(rng, realised, params)
    if params.revote_rate > 0:
        participant, statement, vote, timestamp = _with_revotes(
            rng,
            participant,
            statement,
            vote,
            timestamp,
            position,
            loading,
            offset,
            pass_rate,
            params,
        )
    order = np.argsort(timestamp)
    moderated = np.ones(n_s, np.int8)
    n_out = round(params.moderated_out * n_s)
    if n_out:
        moderated[rng.choice(n_s, size=n_out, replace=False)] = -1
    return Conversation(
        participant=participant[order],
        statement=statement[order],
        vote=vote[order],
        timestamp_ms=timestamp[order],
        group=group,
        position=position,
        kind=kind,
        loading=loading,
        offset=offset,
        moderated=moderated,
        weight=weights.astype(np.float32),
        params=params,
    )


def more_votes(
    conversation: Conversation, n_votes: int, seed: int = 1, new_share: float = 0.1
) -> Conversation:
    """The next ``n_votes`` votes of a live conversation, after its last vote.

    About ``new_share`` of them come from newly arrived participants (ids continuing the
    numbering); the rest from existing participants, on statements they may already have voted
    on (then the new vote replaces the old one). Returns a ``Conversation`` holding only the new
    votes, whose ``group`` and ``position`` cover old and new participants.
    """
    rng = np.random.default_rng([conversation.params.seed, seed])
    params = conversation.params
    n_new_votes = round(n_votes * new_share)
    n_new_people = max(1, n_new_votes // 10) if n_new_votes else 0
    new_params = Params(**{**params.__dict__, "n_participants": max(n_new_people, 1)})
    new_group, new_position = _participants(rng, new_params)
    group = np.concatenate([conversation.group, new_group[:n_new_people]])
    position = np.concatenate([conversation.position, new_position[:n_new_people]])
    old = rng.integers(0, conversation.n_participants, size=n_votes - n_new_votes)
    new = conversation.n_participants + rng.integers(0, max(n_new_people, 1), size=n_new_votes)
    participant = np.concatenate([old, new]).astype(np.int32)
    statement = _draw(rng, conversation.weight.astype(np.float64), n_votes).astype(np.int32)
    pass_rate = np.where(
        conversation.kind == UNCERTAIN, params.uncertain_pass_rate, params.pass_rate
    )
    vote = _cast(
        rng,
        participant,
        statement,
        position,
        conversation.loading,
        conversation.offset,
        pass_rate.astype(np.float32),
        params,
    )
    start = int(conversation.timestamp_ms[-1]) if len(conversation) else EPOCH_MS
    timestamp = start + np.sort(rng.integers(1, 60_000, size=n_votes)).astype(np.int64)
    return Conversation(
        participant=participant,
        statement=statement,
        vote=vote,
        timestamp_ms=timestamp,
        group=group.astype(np.int8),
        position=position.astype(np.float32),
        kind=conversation.kind,
        loading=conversation.loading,
        offset=conversation.offset,
        moderated=conversation.moderated,
        weight=conversation.weight,
        params=params,
    )


def write_polis(conversation: Conversation, folder: Path) -> Path:
    """Write a Pol.is 2021-style export: ``votes.csv`` and ``comments.csv``, plus ``planted.npz``.

    ``votes.csv`` has Pol.is's header ``timestamp,datetime,comment-id,voter-id,vote`` (milliseconds,
    time order); ``comments.csv`` has ``timestamp,datetime,comment-id,author-id,agrees,disagrees,
    moderated,comment-body``. ``planted.npz`` keeps the planted groups and statement kinds.
    """
    import polars as pl

    folder.mkdir(parents=True, exist_ok=True)
    stamp = "%a %b %d %H:%M:%S UTC %Y"
    step = 5_000_000  # rows per chunk: the datetime strings of 50M votes would take GBs
    with (folder / "votes.csv").open("wb") as handle:
        for start in range(0, max(len(conversation), 1), step):
            part = slice(start, start + step)
            pl.DataFrame(
                {
                    "timestamp": conversation.timestamp_ms[part],
                    "comment-id": conversation.statement[part],
                    "voter-id": conversation.participant[part],
                    "vote": conversation.vote[part],
                }
            ).select(
                "timestamp",
                pl.from_epoch("timestamp", time_unit="ms").dt.strftime(stamp).alias("datetime"),
                "comment-id",
                "voter-id",
                "vote",
            ).write_csv(handle, include_header=start == 0)

    n_s = conversation.n_statements
    agrees = np.bincount(conversation.statement[conversation.vote == 1], minlength=n_s)
    disagrees = np.bincount(conversation.statement[conversation.vote == -1], minlength=n_s)
    created = EPOCH_MS - 3_600_000 + np.arange(n_s, dtype=np.int64) * 1000
    comments = pl.DataFrame(
        {
            "timestamp": created,
            "comment-id": np.arange(n_s, dtype=np.int32),
            "author-id": np.zeros(n_s, np.int32),
            "agrees": agrees,
            "disagrees": disagrees,
            "moderated": conversation.moderated,
            "comment-body": [
                f"Synthetic {KINDS[k]} statement {i}" for i, k in enumerate(conversation.kind)
            ],
        }
    ).select(
        "timestamp",
        pl.from_epoch("timestamp", time_unit="ms").dt.strftime(stamp).alias("datetime"),
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "moderated",
        "comment-body",
    )
    comments.write_csv(folder / "comments.csv")
    np.savez(
        folder / "planted.npz",
        group=conversation.group,
        kind=conversation.kind,
        moderated=conversation.moderated,
    )
    return folder


# --- the steps --------------------------------------------------------------------------------


def _participants(
    rng: np.random.Generator, params: Params
) -> tuple[NDArray[np.int8], NDArray[np.float32]]:
    g = params.n_groups
    shares = np.arange(g, 0, -1, dtype=np.float64)
    group = rng.choice(g, size=params.n_participants, p=shares / shares.sum()).astype(np.int8)
    angles = 2 * np.pi * np.arange(g) / g + 0.3
    centres = params.spread * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    noise = rng.standard_normal((params.n_participants, 2), dtype=np.float32) * params.noise
    return group, (centres[group] + noise).astype(np.float32)


def _statements(
    rng: np.random.Generator, params: Params
) -> tuple[NDArray[np.int8], NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    n_s = params.n_statements
    shares = np.asarray(params.kind_shares, np.float64)
    kind = rng.choice(len(KINDS), size=n_s, p=shares / shares.sum()).astype(np.int8)
    angle = rng.uniform(0, 2 * np.pi, n_s)
    length = np.where(kind == DIVISIVE, rng.uniform(1.0, 2.0, n_s), rng.uniform(0.0, 0.3, n_s))
    length = np.where(kind == UNCERTAIN, rng.uniform(0.3, 1.0, n_s), length)
    loading = (length[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)).astype(
        np.float32
    )
    offset = rng.normal(0.0, 0.3, n_s)
    offset = np.where(kind == CONSENSUS_AGREE, 2.5, offset)
    offset = np.where(kind == CONSENSUS_DISAGREE, -2.5, offset)
    pass_rate = np.where(kind == UNCERTAIN, params.uncertain_pass_rate, params.pass_rate)
    return kind, loading, offset.astype(np.float32), pass_rate.astype(np.float32)


def _votes_per_participant(rng: np.random.Generator, params: Params) -> NDArray[np.int32]:
    sigma = params.votes_sigma
    mu = np.log(params.mean_votes) - sigma**2 / 2
    raw = rng.lognormal(mu, sigma, params.n_participants)
    return np.clip(np.rint(raw), 1, params.n_statements).astype(np.int32)


def _popularity_weights(
    rng: np.random.Generator, n_s: int, popularity: float
) -> NDArray[np.float64]:
    """Zipf weights ``1 / rank ** popularity`` over a random order of the statements, summing to 1."""
    rank = rng.permutation(n_s).astype(np.float64)
    weights: NDArray[np.float64] = 1.0 / (rank + 1.0) ** popularity
    weights /= weights.sum()
    return weights


_TABLE_BITS = 20


def _draw(rng: np.random.Generator, weights: NDArray[np.float64], n: int) -> NDArray[np.int64]:
    """``n`` statements drawn with replacement by ``weights``, through an inverse-CDF table.

    The table has 2**20 cells, so each probability is honoured to within 1e-6 (the smallest
    weight at 5,000 statements is about 1e-4); a lookup is much faster than a binary search.
    """
    size = 1 << _TABLE_BITS
    cells = (np.arange(size, dtype=np.float64) + 0.5) / size
    table = np.searchsorted(np.cumsum(weights), cells, side="right")
    table = np.minimum(table, weights.shape[0] - 1).astype(np.int32)
    drawn: NDArray[np.int64] = table[rng.integers(0, size, size=n, dtype=np.int32)].astype(np.int64)
    return drawn


def _choose_statements(
    rng: np.random.Generator, counts: NDArray[np.int32], weights: NDArray[np.float64]
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Distinct statements per participant, ``counts[p]`` of them, drawn with popularity skew.

    Heavy voters (more than a quarter of the statements) draw exactly, without replacement, one
    by one. Everyone else draws with replacement; repeats are dropped and the shortfall drawn
    again, only for those still short (after three skewed rounds, uniformly, which converges
    fast). Returns (participant, statement), sorted by participant then statement.
    """
    n_p, n_s = counts.shape[0], weights.shape[0]
    heavy = np.flatnonzero(counts > n_s // 4)
    parts: list[NDArray[np.int64]] = [
        p * n_s + np.sort(rng.choice(n_s, size=int(counts[p]), replace=False, p=weights))
        for p in heavy
    ]
    need = counts.astype(np.int64)
    finished = np.zeros(n_p, np.bool_)  # all their statements are in ``parts``
    finished[heavy] = True
    need[finished] = 0
    pending = np.zeros(0, np.int64)  # the keys of everyone still short, all of them
    for round_ in range(40):
        total = int(need.sum())
        if total == 0:
            break
        who = np.repeat(np.arange(n_p, dtype=np.int64), need)
        drawn = _draw(rng, weights, total) if round_ < 3 else rng.integers(0, n_s, size=total)
        keys = np.sort(np.concatenate([pending, who * n_s + drawn]))
        unique = np.ones(keys.shape[0], np.bool_)
        unique[1:] = keys[1:] != keys[:-1]
        keys = keys[unique]
        owner = keys // n_s
        need = counts - np.bincount(owner, minlength=n_p)
        need[finished] = 0
        finished |= need == 0
        short = need[owner] > 0
        parts.append(keys[~short])
        pending = keys[short]
    parts.append(pending)
    everything = np.sort(np.concatenate(parts))
    return (everything // n_s).astype(np.int32), (everything % n_s).astype(np.int32)


def _cast(
    rng: np.random.Generator,
    participant: NDArray[np.int32],
    statement: NDArray[np.int32],
    position: NDArray[np.float32],
    loading: NDArray[np.float32],
    offset: NDArray[np.float32],
    pass_rate: NDArray[np.float32],
    params: Params,
) -> NDArray[np.int8]:
    n = participant.shape[0]
    vote = np.empty(n, np.int8)
    step = 5_000_000
    for start in range(0, n, step):
        p = participant[start : start + step]
        s = statement[start : start + step]
        pos, load = position[p], loading[s]
        logit = params.sharpness * (pos[:, 0] * load[:, 0] + pos[:, 1] * load[:, 1]) + offset[s]
        agree = 1.0 / (1.0 + np.exp(-logit))
        u = rng.random(p.shape[0], dtype=np.float32)
        passes = pass_rate[s]
        chunk = np.where(u < passes, 0, np.where(u < passes + (1 - passes) * agree, 1, -1))
        vote[start : start + step] = chunk
    return vote


def _times(
    rng: np.random.Generator, counts: NDArray[np.int32], params: Params
) -> NDArray[np.int64]:
    """Participants arrive over ``days`` (ids in order of arrival) and vote in one sitting.

    A sitting lasts about 8 s per vote; its votes fall uniformly at random within it (a Poisson
    process given the count), so the order of a participant's votes is random, not by statement.
    """
    n_p = counts.shape[0]
    arrival = np.sort(rng.random(n_p)) * (params.days * 86_400_000)
    sitting = counts.astype(np.float64) * 8_000.0
    within = rng.random(int(counts.sum()), dtype=np.float32) * np.repeat(
        sitting.astype(np.float32), counts
    )
    return EPOCH_MS + (np.repeat(arrival, counts) + within).astype(np.int64)


def _with_revotes(
    rng: np.random.Generator,
    participant: NDArray[np.int32],
    statement: NDArray[np.int32],
    first: NDArray[np.int8],
    timestamp: NDArray[np.int64],
    position: NDArray[np.float32],
    loading: NDArray[np.float32],
    offset: NDArray[np.float32],
    pass_rate: NDArray[np.float32],
    params: Params,
) -> tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int8], NDArray[np.int64]]:
    """First votes plus re-votes on ``revote_rate`` of them, minutes to hours later."""
    n = participant.shape[0]
    pick = np.flatnonzero(rng.random(n, dtype=np.float32) < params.revote_rate)
    again = _cast(
        rng, participant[pick], statement[pick], position, loading, offset, pass_rate, params
    )
    later = timestamp[pick] + rng.integers(60_000, 6 * 3_600_000, size=pick.shape[0])
    return (
        np.concatenate([participant, participant[pick]]),
        np.concatenate([statement, statement[pick]]),
        np.concatenate([first, again]),
        np.concatenate([timestamp, later]),
    )
