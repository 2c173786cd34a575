"""With six people per side, a brief tells each withheld side in a coarse band instead of
"withheld", never states a count it does not back, and uses proper plurals."""

from __future__ import annotations

import pytest
from transfer_support import make_scenario

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.transfer import actions

pytestmark = pytest.mark.django_db


def test_it_tells_six_per_side_in_bands() -> None:
    scenario = make_scenario(per_side=6)
    brief = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator)
    text = brief.body.decode()
    assert "(s)" not in text  # "statement(s)", "group(s)": proper plurals
    assert "| withheld |" not in text
    # every statement everyone agreed with is common ground, told per side as a band or
    # a share; the summary counts only statements it then backs
    assert "statements found support on every side" in text or "statement found" in text
    for line in text.splitlines():
        if line.startswith("| Upstream") or line.startswith("| Downstream"):
            assert "withheld" not in line


def test_it_shows_a_band_where_a_side_is_withheld() -> None:
    scenario = make_scenario(per_side=6)
    # one of Upstream's six now passes on the divide: Upstream's tally holds a cell of 1
    divide = scenario.statements["DIVIDE"]
    dialogue_actions.cast_vote(scenario.participants[0], divide.pk, 0)
    body = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator).body
    text = body.decode()
    upstream = [line for line in text.splitlines() if line.startswith("| Upstream")]
    assert any("at least 4 in 5 agree" in line for line in upstream), text
    assert "a band is given only where it cannot reveal anyone's vote" in text
    assert "1 statement divides the sides" in text
