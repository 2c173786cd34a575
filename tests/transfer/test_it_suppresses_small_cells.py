"""Participants per party and track: small cells withheld, with their complements."""

from __future__ import annotations

import re

import pytest
from transfer_support import Scenario, make_scenario

from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import actions
from tracktwo.transfer.cells import SUPPRESSED, suppress
from tracktwo.transfer.content import build_content, default_narrative

pytestmark = pytest.mark.django_db


def _rows(markdown: str) -> dict[str, list[str]]:
    """The participants table of a Markdown brief: party -> cells (last is the total)."""
    rows: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        if (
            line.startswith("| Upstream |")
            or line.startswith("| Downstream |")
            or line.startswith("| Total |")
        ):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if cells[0] not in rows:
                rows[cells[0]] = cells[1:]
    return rows


def test_it_withholds_small_cells_and_their_complements(scenario: Scenario) -> None:
    box = box_for(scenario.initiative.pk)
    content = build_content(scenario.dialogue, None, default_narrative(scenario.dialogue, box), box)
    table = content.participants
    assert table.column_labels == (
        "Track 1: Government",
        "Track 2: Non-government / professional",
        "Track 4: Private citizen",
        "Total",
    )
    # Upstream: 2 (track 1), 6 (track 2); Downstream: 5 (track 2), 3 (track 4).
    upstream, downstream, total = table.cells
    assert upstream[0] == SUPPRESSED and downstream[2] == SUPPRESSED  # the small cells
    assert upstream[1] == SUPPRESSED and downstream[1] == SUPPRESSED  # their complements
    assert (upstream[2], downstream[0]) == ("0", "0")
    assert (upstream[3], downstream[3], total[3]) == ("8", "8", "16")
    lines = [*table.cells, *zip(*table.cells, strict=True)]
    for line in lines:
        assert list(line).count(SUPPRESSED) != 1, line


def test_it_prints_the_suppressed_table_in_the_brief(scenario: Scenario) -> None:
    text = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator).body.decode()
    rows = _rows(text)
    assert rows["Upstream"] == ["–", "–", "0", "8"]
    assert rows["Downstream"] == ["0", "–", "–", "8"]
    assert rows["Total"] == ["–", "11", "–", "16"]
    assert "withheld (fewer than 5" in text
    assert not re.search(r"\| Upstream \|[^\n]*\| 2 \|", text)


def test_it_follows_the_dialogue_threshold(db: None) -> None:
    scenario = make_scenario(threshold=2)
    text = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator).body.decode()
    rows = _rows(text)
    assert rows["Upstream"] == ["2", "6", "0", "8"]
    assert rows["Downstream"] == ["0", "5", "3", "8"]


def test_it_withholds_a_whole_small_side() -> None:
    table = suppress([[3, 0], [6, 7]], ["A", "B"], ["x", "y"], 5)
    assert table.cells[0] == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    for line in [*table.cells, *zip(*table.cells, strict=True)]:
        assert list(line).count(SUPPRESSED) != 1
