"""Comparing two analyses that must agree (a chain that dropped superseded events against
one that kept them, say)."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from tracktwo.analysis.result import AnalysisResult


def assert_same_analysis(kept: AnalysisResult, dropped: AnalysisResult) -> None:
    """Every field of the two results equal, but the events and the engine's own state, and
    the state's cells equal."""
    for field in fields(kept):
        if field.name in ("events", "state"):
            continue
        a, b = getattr(kept, field.name), getattr(dropped, field.name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=field.name)
        else:
            assert repr(a) == repr(b), field.name
    assert kept.participant_ids == dropped.participant_ids
    for a, b in zip(kept.state.cells[:3], dropped.state.cells[:3], strict=True):
        np.testing.assert_array_equal(a, b)
