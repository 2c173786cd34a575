"""PCA, projections and extremity against Pol.is's own math output (math-pca2.json)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from polis_fixtures import FIXTURES, RESTORED, load, polis_base_clusters

from tracktwo.analysis.matrix import build_geometry, zeroed_statements
from tracktwo.analysis.pca import exact_components
from tracktwo.analysis.projection import project_participants, project_statements


def geometry_of(events):  # type: ignore[no-untyped-def]
    latest = events.latest()
    zeroed = zeroed_statements(events.statements.moderated, events.statements.is_meta)
    cells = (latest.participant, latest.statement, latest.vote)
    return build_geometry(cells, events.n_participants, events.n_statements, zeroed)


def polis_columns(fixture):  # type: ignore[no-untyped-def]
    index = fixture.events.statements.index
    return np.array([index[t] for t in fixture.math["tids"]])


def signs(ours: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """+1/-1 per component so that ours * sign matches theirs."""
    return np.where((ours * theirs).sum(axis=1) >= 0, 1.0, -1.0)


@pytest.fixture(params=FIXTURES)
def fixture(request, shared_data: Path):  # type: ignore[no-untyped-def]
    return load(shared_data / "polis-math" / request.param)


def test_it_reads_votes_json_in_the_export_sign(shared_data: Path) -> None:
    for name in FIXTURES:
        raw = load(shared_data / "polis-math" / name, restore=False)
        geometry = geometry_of(raw.events)
        columns = polis_columns(raw)
        theirs = np.array(raw.math["pca"]["center"])
        flipped = np.abs(-geometry.center[columns] - theirs).max()
        as_given = np.abs(geometry.center[columns] - theirs).max()
        assert as_given > 1.0
        if name in RESTORED:
            assert flipped > 1e-3  # one participant missing from votes.json
        else:
            assert flipped < 1e-12


def test_it_restores_only_what_polis_centre_and_counts_imply(shared_data: Path) -> None:
    name = "50ptpt-3gp-strict-no-meta"
    raw = load(shared_data / "polis-math" / name, restore=False)
    pid, cast = RESTORED[name]
    assert pid not in raw.events.participant_ids
    assert raw.math["user-vote-counts"][str(pid)] == len(cast)
    geometry = geometry_of(raw.events)
    columns = polis_columns(raw)
    theirs = -np.array(raw.math["pca"]["center"])
    latest = raw.events.latest()
    n = np.bincount(latest.statement, minlength=raw.events.n_statements)[columns]
    off = np.flatnonzero(np.abs(geometry.center[columns] - theirs) > 1e-12)
    assert sorted(raw.math["tids"][i] for i in off) == sorted(cast)
    for i in off:  # one more vote v on this column: (sum + v) / (n + 1) = Pol.is's mean
        vote = theirs[i] * (n[i] + 1) - geometry.center[columns][i] * n[i]
        assert vote == pytest.approx(cast[raw.math["tids"][i]], abs=1e-9)


def test_it_matches_polis_centre_and_components(fixture) -> None:  # type: ignore[no-untyped-def]
    geometry = geometry_of(fixture.events)
    columns = polis_columns(fixture)
    assert geometry.n_columns == fixture.math["n-cmts"] == len(columns)
    comps = exact_components(geometry.centred).vectors
    theirs = np.array(fixture.math["pca"]["comps"])
    ours = comps[:, columns]
    np.testing.assert_allclose(-geometry.center[columns], fixture.math["pca"]["center"], atol=1e-12)
    np.testing.assert_allclose(ours * signs(ours, theirs)[:, None], theirs, atol=1e-6)


def test_it_projects_participants_and_statements_as_polis(fixture) -> None:  # type: ignore[no-untyped-def]
    events = fixture.events
    geometry = geometry_of(events)
    columns = polis_columns(fixture)
    comps = exact_components(geometry.centred).vectors
    theirs = np.array(fixture.math["pca"]["comps"])
    # Export sign is Pol.is's internal sign negated, so our components line up with -theirs
    # and then every projection equals Pol.is's as published.
    comps = comps * signs(comps[:, columns], -theirs)[:, None]
    points = project_participants(geometry, comps)
    index = {pid: i for i, pid in enumerate(events.participant_ids)}
    _ids, members, centres = polis_base_clusters(fixture.math)
    ours = np.array([points[[index[p] for p in m]].mean(axis=0) for m in members])
    np.testing.assert_allclose(ours, centres, atol=1e-9)
    projection, extremity = project_statements(geometry, comps)
    np.testing.assert_allclose(
        projection[columns].T, fixture.math["pca"]["comment-projection"], atol=1e-9
    )
    np.testing.assert_allclose(
        extremity[columns], fixture.math["pca"]["comment-extremity"], atol=1e-9
    )
