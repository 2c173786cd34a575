"""The scalable solver (block PCA, capped and sampled base k-means) against the faithful one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from polis_fixtures import planted

from tracktwo.analysis import engine
from tracktwo.analysis.agreement import adjusted_rand_index
from tracktwo.analysis.engine import AnalysisParams, analyze, update
from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.votes import from_records

FAITHFUL = AnalysisParams(solver="faithful")
SCALABLE = AnalysisParams(solver="scalable")


def agreement(a, b) -> float:  # type: ignore[no-untyped-def]
    clustered = a.group_labels >= 0
    assert np.array_equal(clustered, b.group_labels >= 0)
    return adjusted_rand_index(a.group_labels[clustered], b.group_labels[clustered])


@pytest.mark.parametrize("name", ["vtaiwan.uberx", "scoop-hivemind.ubi", "football-concussions"])
def test_it_gives_the_faithful_groups_on_real_conversations(shared_data: Path, name: str) -> None:
    events = read_polis(shared_data / "polis-opendata" / name)
    faithful = analyze(events, FAITHFUL)
    scalable = analyze(events, SCALABLE)
    assert scalable.solver == "scalable" and faithful.solver == "faithful"
    assert agreement(faithful, scalable) >= 0.99
    cosine = np.abs((faithful.pca.components * scalable.pca.components).sum(axis=1))
    assert np.all(cosine > 0.9999)


def test_it_samples_base_clusters_above_the_sample_size(monkeypatch: pytest.MonkeyPatch) -> None:
    events, truth = planted(sizes=(80, 60, 60), seed=12)
    monkeypatch.setattr(engine, "SCALABLE_SAMPLE", 50)
    sampled = analyze(events, SCALABLE)
    assert sampled.base.labels[sampled.in_conv].min() >= 0  # everyone assigned
    assert adjusted_rand_index(sampled.group_labels, truth) == 1.0
    later = update(sampled, from_records([]))
    assert adjusted_rand_index(later.group_labels, truth) == 1.0
