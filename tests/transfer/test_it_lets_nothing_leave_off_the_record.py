"""Off the record, per meeting: no brief, no export, no Track One log entry leaves it."""

from __future__ import annotations

from pathlib import Path

import pytest
from transfer_support import Scenario

from tracktwo.cli import main
from tracktwo.dialogues.actions import meetings
from tracktwo.dialogues.actions.polis_exchange import export_polis
from tracktwo.dialogues.models import Vote
from tracktwo.practice.errors import NothingLeaves
from tracktwo.safety.audit import Actor
from tracktwo.transfer import actions as transfer_actions
from tracktwo.transfer import log

pytestmark = pytest.mark.django_db


def test_it_refuses_the_brief_export_and_log_of_an_off_the_record_meeting(
    scenario: Scenario,
) -> None:
    facilitator = scenario.facilitator
    brief = transfer_actions.draft_for(scenario.dialogue, None, facilitator)
    transfer_actions.issue(brief, facilitator, [(scenario.liaisons[0], "")])
    meetings.set_meeting_regime(
        scenario.session,
        facilitator,
        confidentiality="off-the-record",
        officials_private_capacity=False,
    )
    with pytest.raises(NothingLeaves, match="meeting 1 was held off the record"):
        transfer_actions.render_draft(scenario.dialogue, None, "md", facilitator)
    with pytest.raises(NothingLeaves):
        export_polis(scenario.dialogue, actor=Actor.operator())
    entry = {
        "conveyed_on": "2026-01-10",
        "channel": "meeting",
        "conveyor_kind": "participant",
        "conveyed_by": "A retired diplomat",
        "idea": "Joint water board",
        "body": "Foreign ministry",
        "brief": brief.pk,
    }
    with pytest.raises(NothingLeaves, match="Track One log entry"):
        log.log_transfer(scenario.initiative, scenario.convener, **entry)
    assert Vote.objects.filter(dialogue=scenario.dialogue).exists()  # nothing lost


def test_it_refuses_the_command_line_export_in_one_line(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario.dialogue.confidentiality = "off-the-record"
    scenario.dialogue.save(update_fields=["confidentiality"])
    status = main(["export-polis", str(scenario.dialogue.pk), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "off the record" in err
    assert not (tmp_path / "out" / "votes.csv").exists()
