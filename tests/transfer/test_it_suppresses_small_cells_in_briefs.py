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
    """The participants table of a Markdown brief: track -> cells (last is the total)."""
    rows: dict[str, list[str]] = {}
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and (cells[0][:2] in ("1:", "2:", "4:") or cells[0] == "Total"):
            rows.setdefault(cells[0], cells[1:])
    return rows


def test_it_withholds_small_cells_and_their_complements(scenario: Scenario) -> None:
    box = box_for(scenario.initiative.pk)
    content = build_content(scenario.dialogue, None, default_narrative(scenario.dialogue, box), box)
    table = content.participants
    assert table.row_labels == (
        "1: Government",
        "2: Non-government / professional",
        "4: Private citizen",
        "Total",
    )
    assert table.column_labels == ("Upstream", "Downstream", "Total")
    # Upstream: 2 in track 1 and 6 in track 2; Downstream: 5 in track 2 and 3 in track 4.
    government, professional, citizens, total = table.cells
    assert government == (SUPPRESSED,) * 3  # 2 people: the whole track is withheld
    assert citizens == (SUPPRESSED,) * 3  # 3 people
    assert professional == ("6", "5", "11")
    assert total == ("8", "8", "16")
    for line in [*table.cells, *zip(*table.cells, strict=True)]:
        assert list(line).count(SUPPRESSED) != 1, line


def test_it_prints_the_suppressed_table_in_the_brief(scenario: Scenario) -> None:
    text = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator).body.decode()
    rows = _rows(text)
    assert rows["1: Government"] == ["–", "–", "–"]
    assert rows["4: Private citizen"] == ["–", "–", "–"]
    assert rows["Total"] == ["8", "8", "16"]
    assert "withheld (fewer than 5" in text
    assert not re.search(r"\| 1: Government \|[^\n]*\| 2 \|", text)


def test_it_follows_the_dialogue_threshold(db: None) -> None:
    scenario = make_scenario(threshold=2)
    text = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator).body.decode()
    rows = _rows(text)
    assert rows["1: Government"] == ["2", "0", "2"]
    assert rows["2: Non-government / professional"] == ["6", "5", "11"]
    assert rows["4: Private citizen"] == ["0", "3", "3"]


def test_it_withholds_a_whole_small_side() -> None:
    table = suppress([[3, 0], [6, 7]], ["A", "B"], ["x", "y"], 5)
    assert table.cells[0] == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    for line in [*table.cells, *zip(*table.cells, strict=True)]:
        assert list(line).count(SUPPRESSED) != 1


def test_it_withholds_small_tallies_of_a_side(scenario: Scenario) -> None:
    from tracktwo.dialogues import actions as dialogue_actions

    downstream = scenario.participants[8:]
    dialogue_actions.cast_vote(downstream[0], scenario.statements["DIVIDE"].pk, 0)
    for person in downstream[1:5]:  # participants' results move in batches of 5 votes
        dialogue_actions.cast_vote(person, scenario.statements["COMMON"].pk, 1)
    for brief in (None, scenario.session):  # the live service's and the engine's own run
        text = actions.render_draft(scenario.dialogue, brief, "md", scenario.facilitator).body
        divides = text.decode().split("## Remaining divides", 1)[1].split("## Group", 1)[0]
        # The lone pass is withheld, and with it (complementary) the disagree counts that
        # would give it away by subtraction; the agree shares stay.
        assert "| Upstream | 100% | 75%–100% | – | 8 |" in divides
        assert "| Downstream | 0% | 0%–25% | – | 8 |" in divides
        assert "88%" not in divides and "12%" not in divides  # 7 of 8, 1 of 8
        assert "| All participants | 50% |" in divides
