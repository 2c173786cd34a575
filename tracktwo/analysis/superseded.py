"""Dropping the vote events a chain of updates no longer needs: re-votes superseded since.

A result's ``events`` hold every vote cast so far, re-votes included, and ``engine.update``
appends to them, so a long-lived chain on a dialogue whose participants change their minds
grows with its vote history, not with its cells. What the next update reads of them is little:
the participant and statement ids (``participant_ids``, ``statements``), and the time of the
vote that counts in each cell (the cells' ``rank`` is that vote's row in ``events``; a later
vote replaces it only when it is at least as late). Every analysis step reads the cells, never
the events; ``events.latest()`` (cross-party report, bridging) gives the same cells from any
events that hold each cell's counting vote.

:func:`compact` keeps only those votes, in their order, and renumbers the cells' ranks to
their new rows: the next update then gives the same result as from every event, and the
events stay within ``(1 + slack)`` times the cells. Dropping only once the superseded events
outnumber ``slack`` times the cells keeps the cost (a copy of the cells, a sort of their ranks)
at a constant per vote, so a chain that continues the cells in place (``live_cells``) copies
them whole only now and then.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tracktwo.analysis.cells import CellState, rank_dtype
from tracktwo.analysis.live_cells import cells_of
from tracktwo.analysis.result import AnalysisResult
from tracktwo.analysis.votes import VoteEvents

__all__ = ["SLACK", "compact"]

SLACK = 1.0
"""Superseded events kept, per cell, before they are dropped."""


def compact(result: AnalysisResult, slack: float = SLACK) -> AnalysisResult:
    """``result`` with only the events its cells count, once the others exceed ``slack``
    times the cells; else ``result`` itself.

    The returned result continues ``result``'s chain (the same live state): update it, not
    ``result``. Nothing but ``events`` and the cells' ranks differs.
    """
    events = result.events
    cells = cells_of(result)
    n_cells = int(cells[0].shape[0])
    if len(events) - n_cells <= slack * n_cells:
        return result
    rank = cells[3]
    order = np.argsort(rank, kind="stable")  # the counting votes in their rows' order
    rows = rank[order]
    renumbered = np.empty(n_cells, rank_dtype(n_cells))
    renumbered[order] = np.arange(n_cells, dtype=renumbered.dtype)
    kept = VoteEvents(
        events.participant[rows],
        events.statement[rows],
        events.vote[rows],
        events.timestamp[rows],
        events.participant_ids,
        events.statements,
    )
    counted: CellState = (cells[0], cells[1], cells[2], renumbered)
    state = replace(result.state, cells=counted, next_rank=n_cells)
    return replace(result, events=kept, state=state)
