"""Pol.is's group step: weighted k-means of the base clusters for every k tried, and the k
smoother that decides how many groups are shown."""

from __future__ import annotations

import numpy as np

from tracktwo.analysis.clustering import best_k, cold_start, kmeans, silhouette, warm_start
from tracktwo.analysis.result import AnalysisParams, AnalysisResult, Clustering, KSelection
from tracktwo.analysis.silhouette import distances

__all__ = ["choose_k", "group_clusterings"]


def group_clusterings(
    base: Clustering, params: AnalysisParams, previous: AnalysisResult | None
) -> tuple[dict[int, Clustering], dict[int, float]]:
    """Weighted k-means of base-cluster centres for each k tried, and their silhouettes."""
    n_base = base.k
    top = min(params.max_groups, 2 + n_base // 12)
    ks = range(params.min_groups, max(params.min_groups, top) + 1)
    weights = base.sizes()
    clusterings: dict[int, Clustering] = {}
    scores: dict[int, float] = {}
    apart = distances(base.centers) if n_base and len(ks) > 1 else None  # the same for every k
    for k in ks:
        last = previous.state.group_clusterings.get(k) if previous is not None else None
        if last is not None and last.k and n_base:
            old_ids = previous.state.group_base_ids[k]  # type: ignore[union-attr]
            at = np.clip(np.searchsorted(old_ids, base.ids), 0, max(old_ids.shape[0] - 1, 0))
            known = old_ids.shape[0] > 0
            same = (old_ids[at] == base.ids) if known else np.zeros(n_base, np.bool_)
            before = np.where(same, last.labels[at], -1).astype(np.int64)
            ids, centres = warm_start(base.centers, last.ids, before, k, weights)
        else:
            ids, centres = cold_start(base.centers, k)
        clustering, _steps = kmeans(base.centers, ids, centres, params.group_iterations, weights)
        clusterings[k] = clustering
        scores[k] = silhouette(base.centers, clustering.labels, apart) if n_base else 0.0
    return clusterings, scores


def choose_k(scores: dict[int, float], buffer: int, last: KSelection | None) -> KSelection:
    """Pol.is's k smoother: a new best k is shown once it has won ``buffer`` updates running.

    Parameters
    ----------
    scores : dict of k -> silhouette (this update)
    buffer : int
    last : KSelection, optional
        The previous update's selection; a cold start shows the best k at once.
    """
    this_k = best_k(scores)
    if last is None:
        return KSelection(scores, this_k, this_k, 1, buffer, (this_k,))
    streak = last.streak + 1 if last.best == this_k else 1
    shown = this_k if streak >= buffer else last.shown
    if shown not in scores:
        shown = this_k
    return KSelection(scores, this_k, shown, streak, buffer, (*last.history, this_k))
