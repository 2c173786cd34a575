"""A tool with no do-no-harm assessment is off, refused with 409 and a reason that names the
assessment: the Pol.is export, issuing a brief, the survey's waves. An assessment that
decided "off" keeps it off; a rise in the effective level asks for a new assessment."""

from __future__ import annotations

import pytest
from consent_support import Room
from factories import assess_tool

from tracktwo.consent.actions import set_risk_profile
from tracktwo.consent.models import ToolAssessment
from tracktwo.evaluation import actions as evaluation
from tracktwo.practice.errors import Conflict
from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions as transfer


def test_it_refuses_the_polis_export_before_its_assessment(room: Room) -> None:
    path = f"/dialogues/{room.dialogue.pk}/export/polis"
    token = room.token_of(room.workshop.convener)
    refused = room.call("GET", path, token)
    assert refused.status == 409
    assert "do-no-harm assessment" in refused.body["detail"]
    assert "Pol.is export" in refused.body["detail"]
    recorded = room.call(
        "POST",
        f"/dialogues/{room.dialogue.pk}/assessments",
        token,
        {
            "tool": "polis_export",
            "exposes": "Nobody by name.",
            "worst_case": "Votes linked to a side.",
            "mitigation": "Fresh random ids.",
            "enabled": True,
        },
    )
    assert recorded.status == 201 and "polis_export" in recorded.body["tools_on"]
    assert room.call("GET", path, token).status == 200
    event = AuditEvent.objects.get(action="tool.assessed")
    assert event.details == {"tool": "polis_export", "enabled": True}


def test_it_refuses_briefs_and_surveys_before_their_assessment(room: Room) -> None:
    workshop = room.workshop
    brief = transfer.draft_for(room.dialogue, None, workshop.facilitator)
    with pytest.raises(Conflict, match="do-no-harm assessment of briefs to Track One"):
        transfer.issue(brief, workshop.facilitator, [(workshop.liaison, "desk")])
    evaluation.compose_survey(workshop.convener, room.dialogue, items=["thermometer"])
    with pytest.raises(Conflict, match="do-no-harm assessment of evaluation surveys"):
        evaluation.set_waves(workshop.convener, room.dialogue, open_waves=["pre"])
    assess_tool(room.dialogue, workshop.convener, "briefs", "evaluation")
    assert transfer.issue(brief, workshop.facilitator, [(workshop.liaison, "desk")])
    assert evaluation.set_waves(workshop.convener, room.dialogue, open_waves=["pre"])


def test_it_keeps_a_tool_off_when_the_assessment_says_so(room: Room) -> None:
    assess_tool(room.dialogue, room.workshop.convener, "polis_export", enabled=False)
    refused = room.call(
        "GET",
        f"/dialogues/{room.dialogue.pk}/export/polis",
        room.token_of(room.workshop.convener),
    )
    assert refused.status == 409 and "decided to keep it off" in refused.body["detail"]


def test_it_asks_for_a_new_assessment_when_the_level_rises(room: Room) -> None:
    workshop = room.workshop
    assess_tool(room.dialogue, workshop.convener, "briefs")
    set_risk_profile(room.participants[0], {"level": "high"})
    brief = transfer.draft_for(room.dialogue, None, workshop.facilitator)
    with pytest.raises(Conflict, match="reassess"):
        transfer.issue(brief, workshop.facilitator, [(workshop.liaison, "desk")])
    assess_tool(room.dialogue, workshop.convener, "briefs")
    assert ToolAssessment.objects.filter(tool="briefs").latest("id").level == "high"
    assert transfer.issue(brief, workshop.facilitator, [(workshop.liaison, "desk")])


def test_it_lets_only_conveners_assess(room: Room) -> None:
    answer = room.call(
        "POST",
        f"/dialogues/{room.dialogue.pk}/assessments",
        room.token_of(room.workshop.facilitator),
        {"tool": "briefs", "exposes": "x", "worst_case": "y", "mitigation": "z", "enabled": True},
    )
    assert answer.status == 403
    bad = room.call(
        "POST",
        f"/dialogues/{room.dialogue.pk}/assessments",
        room.token_of(room.workshop.convener),
        {"tool": "briefs", "exposes": "", "worst_case": "y", "mitigation": "z", "enabled": True},
    )
    assert bad.status == 400 and "exposes" in str(bad.body)
