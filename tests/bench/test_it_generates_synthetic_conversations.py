"""The benchmark's synthetic conversations plant what they say they plant."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import polars as pl
from numpy.typing import NDArray
from scipy.cluster.vq import kmeans2

_PATH = Path(__file__).resolve().parents[2] / "bench" / "synthetic.py"
_SPEC = importlib.util.spec_from_file_location("tracktwo_bench_synthetic", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
synthetic = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = synthetic
_SPEC.loader.exec_module(synthetic)


def adjusted_rand_index(a: NDArray[np.integer], b: NDArray[np.integer]) -> float:
    _, a_codes = np.unique(a, return_inverse=True)
    _, b_codes = np.unique(b, return_inverse=True)
    table = np.zeros((a_codes.max() + 1, b_codes.max() + 1), np.int64)
    np.add.at(table, (a_codes, b_codes), 1)

    def pairs(x: NDArray[np.int64]) -> float:
        return float((x * (x - 1) // 2).sum())

    index, rows, cols, total = (
        pairs(table),
        pairs(table.sum(1)),
        pairs(table.sum(0)),
        len(a) * (len(a) - 1) / 2,
    )
    expected = rows * cols / total
    return (index - expected) / ((rows + cols) / 2 - expected)


def best_kmeans(x: NDArray[np.float64], k: int, rng: np.random.Generator) -> NDArray[np.int32]:
    """Labels of the k-means run (of ten, k-means++ starts) with the least distortion."""
    best: tuple[float, NDArray[np.int32]] | None = None
    for _ in range(10):
        centres, labels = kmeans2(x, k, seed=rng, minit="++")
        distortion = float(((x - centres[labels]) ** 2).sum())
        if best is None or distortion < best[0]:
            best = (distortion, labels)
    assert best is not None
    return best[1]


def latest_matrix(conversation: object) -> NDArray[np.float64]:
    """Participants x statements, NaN where no vote; the later of two votes counts."""
    c = conversation
    matrix = np.full((c.n_participants, c.n_statements), np.nan)  # type: ignore[attr-defined]
    matrix[c.participant, c.statement] = c.vote  # type: ignore[attr-defined]  # time order: last wins
    return matrix


def test_it_is_deterministic_by_seed() -> None:
    params = synthetic.Params(1500, 60, seed=3)
    first, again = synthetic.generate(params), synthetic.generate(params)
    other = synthetic.generate(synthetic.Params(1500, 60, seed=4))
    for name in ("participant", "statement", "vote", "timestamp_ms", "group", "kind", "moderated"):
        assert np.array_equal(getattr(first, name), getattr(again, name)), name
    assert not np.array_equal(first.group, other.group)
    assert len(first) != len(other) or not np.array_equal(first.statement, other.statement)


def test_it_draws_heavy_tailed_participation_with_popularity_skew() -> None:
    c = synthetic.generate(synthetic.Params(20_000, 500, mean_votes=50, seed=1))
    counts = np.bincount(c.participant, minlength=c.n_participants)
    cells = np.unique(c.participant.astype(np.int64) * c.n_statements + c.statement).shape[0]
    assert counts.min() >= 1
    assert 45 <= cells / c.n_participants <= 55  # about 50 distinct statements each
    assert np.median(counts) < 0.75 * counts.mean()  # most vote little ...
    assert counts.max() > 8 * np.median(counts)  # ... a few vote a lot
    top_decile = np.sort(counts)[::-1][: c.n_participants // 10].sum() / counts.sum()
    assert top_decile > 0.3
    assert 0.02 < (counts < 7).mean() < 0.15  # some stay below Pol.is's 7-vote in-conv rule
    # Re-votes are the only repeated cells, about revote_rate of the votes.
    assert 0.002 < (len(c) - cells) / len(c) < 0.01
    per_statement = np.bincount(c.statement, minlength=c.n_statements)
    assert per_statement.max() > 4 * np.median(per_statement)
    assert np.corrcoef(per_statement, c.weight)[0, 1] > 0.9
    assert np.all(np.diff(c.timestamp_ms) >= 0)
    assert (c.moderated == -1).sum() == 10


def test_it_plants_groups_a_pca_and_kmeans_recover() -> None:
    c = synthetic.generate(synthetic.Params(3000, 100, mean_votes=40, seed=7))
    matrix = latest_matrix(c)
    voted = ~np.isnan(matrix)
    means = np.nanmean(matrix, axis=0)
    centred = np.where(voted, matrix - means, 0.0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    n_votes = voted.sum(1)
    scale = np.sqrt(c.n_statements / np.maximum(n_votes, 1))
    projection = scale[:, None] * (centred @ vt[:2].T)  # Pol.is's sparsity-aware projection
    in_conv = n_votes >= 7
    rng = np.random.default_rng(0)
    labels = best_kmeans(projection[in_conv], c.params.n_groups, rng)
    planted = c.group[in_conv]
    assert adjusted_rand_index(planted, labels) > 0.75
    assert abs(adjusted_rand_index(rng.permutation(planted), labels)) < 0.05

    agree_share = np.zeros((c.params.n_groups, c.n_statements))
    for g in range(c.params.n_groups):
        rows = matrix[c.group == g]
        agree_share[g] = (rows == 1).sum(0) / np.maximum((~np.isnan(rows)).sum(0), 1)
    consensus = c.kind == synthetic.CONSENSUS_AGREE
    assert agree_share[:, consensus].min() > 0.6
    assert agree_share[:, c.kind == synthetic.CONSENSUS_DISAGREE].max() < 0.25
    divisive = c.kind == synthetic.DIVISIVE
    spread = agree_share.max(0) - agree_share.min(0)
    assert np.median(spread[divisive]) > 0.4 > np.median(spread[consensus])
    pass_share = (matrix == 0).sum(0) / voted.sum(0)
    assert (
        pass_share[c.kind == synthetic.UNCERTAIN].mean() > 0.4 > 0.2 > pass_share[divisive].mean()
    )


def test_it_writes_a_polis_export_and_continues_a_live_conversation(tmp_path: Path) -> None:
    c = synthetic.generate(synthetic.Params(500, 40, seed=2))
    folder = synthetic.write_polis(c, tmp_path / "conv")
    votes = pl.read_csv(folder / "votes.csv")
    assert votes.columns == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    assert np.array_equal(votes["voter-id"].to_numpy(), c.participant)
    assert np.array_equal(votes["comment-id"].to_numpy(), c.statement)
    assert np.array_equal(votes["vote"].to_numpy(), c.vote)
    assert np.array_equal(votes["timestamp"].to_numpy(), c.timestamp_ms)
    assert votes["datetime"][0].endswith("UTC 2026")
    comments = pl.read_csv(folder / "comments.csv")
    assert comments.columns[:7] == [
        "timestamp",
        "datetime",
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "moderated",
    ]
    assert np.array_equal(comments["moderated"].to_numpy(), c.moderated)
    assert comments["agrees"].sum() == int((c.vote == 1).sum())
    planted = np.load(folder / "planted.npz")
    assert np.array_equal(planted["group"], c.group)

    more = synthetic.more_votes(c, 1000, seed=5)
    assert len(more) == 1000
    assert more.timestamp_ms.min() > c.timestamp_ms.max()
    assert np.all(np.diff(more.timestamp_ms) >= 0)
    newcomers = more.participant >= c.n_participants
    assert 50 <= newcomers.sum() <= 150
    assert more.participant.max() < more.group.shape[0]
    assert np.array_equal(more.group[: c.n_participants], c.group)
