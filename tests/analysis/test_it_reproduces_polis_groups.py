"""Base clusters and the group step against Pol.is's own state (math-pca2.json)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from polis_fixtures import FIXTURES, load, polis_base_clusters, polis_groups
from test_it_matches_polis_pca import geometry_of, polis_columns, signs

from tracktwo.analysis.agreement import adjusted_rand_index
from tracktwo.analysis.clustering import best_k, cold_start, kmeans, silhouette, warm_start
from tracktwo.analysis.pca import exact_components
from tracktwo.analysis.projection import project_participants


@pytest.fixture(params=FIXTURES)
def fixture(request, shared_data: Path):  # type: ignore[no-untyped-def]
    return load(shared_data / "polis-math" / request.param)


def group_step(centres: np.ndarray, weights: np.ndarray | None, max_groups: int = 5):  # type: ignore[no-untyped-def]
    top = min(max_groups, 2 + centres.shape[0] // 12)
    clusterings = {}
    for k in range(2, top + 1):
        ids, start = cold_start(centres, k)
        clusterings[k], _steps = kmeans(centres, ids, start, 20, weights)
    scores = {k: silhouette(centres, c.labels) for k, c in clusterings.items()}
    k = best_k(scores)
    return k, clusterings[k]


def test_it_reproduces_polis_groups_and_k_from_polis_base_clusters(fixture) -> None:  # type: ignore[no-untyped-def]
    bids, members, centres = polis_base_clusters(fixture.math)
    sizes = np.array([len(m) for m in members], np.float64)
    k, clustering = group_step(centres, sizes)
    assert k == len(fixture.math["group-clusters"])
    ours = {p: int(clustering.labels[b]) for b, m in enumerate(members) for p in m}
    theirs = polis_groups(fixture.math)
    assert sorted(ours) == sorted(theirs)
    people = sorted(theirs)
    ari = adjusted_rand_index([ours[p] for p in people], [theirs[p] for p in people])
    assert ari == 1.0
    # Pol.is's group ids are the cluster ids of a cold start (first distinct centres first)
    polis_ids = {bid: int(g["id"]) for g in fixture.math["group-clusters"] for bid in g["members"]}
    assert all(clustering.ids[clustering.labels[b]] == polis_ids[bid] for b, bid in enumerate(bids))
    np.testing.assert_allclose(
        clustering.centers,
        [g["center"] for g in sorted(fixture.math["group-clusters"], key=lambda g: g["id"])],
        atol=1e-9,
    )


def test_it_needs_the_weights_to_match_polis(shared_data: Path) -> None:
    """Unweighted k-means on base-cluster centres picks other groups (and once another k)."""
    differs = []
    for name in FIXTURES:
        math = load(shared_data / "polis-math" / name).math
        _bids, members, centres = polis_base_clusters(math)
        k, clustering = group_step(centres, None)
        theirs = polis_groups(math)
        ours = {p: int(clustering.labels[b]) for b, m in enumerate(members) for p in m}
        people = sorted(theirs)
        ari = adjusted_rand_index([ours[p] for p in people], [theirs[p] for p in people])
        differs.append(ari < 1.0 or k != len(math["group-clusters"]))
    assert sum(differs) == 2


def test_it_keeps_polis_base_clusters_as_a_fixed_point(fixture) -> None:  # type: ignore[no-untyped-def]
    """Warm-started from Pol.is's base clusters, our base k-means changes nothing."""
    events = fixture.events
    geometry = geometry_of(events)
    comps = exact_components(geometry.centred).vectors
    columns = polis_columns(fixture)
    comps = comps * signs(comps[:, columns], -np.array(fixture.math["pca"]["comps"]))[:, None]
    points = project_participants(geometry, comps)
    index = {pid: i for i, pid in enumerate(events.participant_ids)}
    bids, members, centres = polis_base_clusters(fixture.math)
    clustered = [index[p] for m in members for p in m]
    data = points[clustered]
    label = np.repeat(np.arange(len(bids)), [len(m) for m in members])
    ids, start = warm_start(data, np.array(bids), label, 100)
    clustering, _steps = kmeans(data, ids, start, 100)
    np.testing.assert_array_equal(clustering.ids, bids)
    np.testing.assert_array_equal(clustering.labels, label)
    np.testing.assert_allclose(clustering.centers, centres, atol=1e-9)
