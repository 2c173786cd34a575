"""The readers' view of a dialogue's chains: what an app process needs to show them.

A chain (:class:`tracktwo.insight.chains.Chain`) holds the engine's whole result, whose
``events`` carry every vote event cast so far and whose ``state`` the engine's
incremental state (every counted cell): what a worker needs to continue it, and what
grows with the dialogue's vote history. What app processes do with a chain --
:func:`tracktwo.insight.chains.built` (``build``: the result's groups, repness,
support, projection, ``events.n_participants``), the participant's own position
(``participant_ids``, ``state.participant_index``, the labels and the projection), the
routing priorities -- needs none of the vote arrays. :func:`view_of` is the chain with
``result`` replaced by a copy whose events carry no vote and whose engine state keeps
only the participant index, its snapshot pointing to that copy, and without the last
bridging fit (``bridging``: what a worker warm-starts the next from): its size grows with
participants and statements, not with votes. A view is marked ``view=True`` and is never
continued (:func:`tracktwo.insight.chains.advance` starts over from it).
"""

from __future__ import annotations

from dataclasses import replace

from tracktwo.analysis.engine import AnalysisResult
from tracktwo.insight.chains import Chain


def hollow(result: AnalysisResult) -> AnalysisResult:
    """``result`` without the vote history and the engine's incremental state, with its
    summaries computed (here, once, rather than in each app process that reads the view)."""
    events, state = result.events, result.state
    index = state.participant_index
    if index is None:
        index = {pid: i for i, pid in enumerate(events.participant_ids)}
    hollowed = replace(
        result,
        events=replace(
            events,
            participant=events.participant[:0].copy(),
            statement=events.statement[:0].copy(),
            vote=events.vote[:0].copy(),
            timestamp=events.timestamp[:0].copy(),
        ),
        state=replace(
            state,
            cells=(
                state.cells[0][:0].copy(),
                state.cells[1][:0].copy(),
                state.cells[2][:0].copy(),
                state.cells[3][:0].copy(),
            ),
            participant_index=index,
            group_clusterings={},
            group_base_ids={},
            rows=state.rows[:0].copy(),
            smoother=None,
            live=None,  # the chain's event buffers, tallies and Gram sums (tracktwo.analysis)
        ),
    )
    hollowed.__dict__["summaries"] = result.summaries  # as the cached property keeps it
    return hollowed


def view_of(chain: Chain) -> Chain:
    """The chain as app processes read it (see the module docstring)."""
    if chain.result is None:
        return replace(chain, built=None, priorities=None, view=True, bridging=None)
    result = hollow(chain.result)
    snapshot = chain.snapshot
    if snapshot is not None:
        snapshot = replace(snapshot, result=result if snapshot.result is not None else None)
    return replace(
        chain,
        result=result,
        snapshot=snapshot,
        built=None,
        priorities=None,
        view=True,
        bridging=None,
        bridging_anchor=0,
    )
