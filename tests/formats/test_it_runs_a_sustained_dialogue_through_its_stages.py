"""A Sustained Dialogue: stage transitions recorded (who, when, why), the memorandum carried
forward to the next meeting, the relationship map saved in versions, stage-4 scenarios, and
refusals out of format or stage."""

from __future__ import annotations

import pytest
from factories import DOWNSTREAM, UPSTREAM
from formats_support import Group, make_group

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Session
from tracktwo.practice.errors import NotAllowed, OutOfFormat
from tracktwo.safety.audit import events_for
from tracktwo.sustained import actions, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def group() -> Group:
    return make_group("sustained-dialogue")


def test_it_records_who_moved_the_group_when_and_why(group: Group) -> None:
    facilitator = group.workshop.facilitator
    dialogue_actions.start_session(group.workshop.dialogue, facilitator)
    answer = group.api(
        "POST", "/sustained/stage", "facilitator", {"stage": 2, "marker": "We agreed to talk."}
    )
    assert answer.status == 201, answer.body
    (marker,) = answer.body["markers"]
    assert marker["stage"] == 2 and marker["previous_stage"] == 1
    assert marker["decided_by"] == facilitator.pk and marker["decided_at"]
    assert marker["marker"] == "We agreed to talk." and marker["meeting"] == 1
    session = Session.objects.get(dialogue=group.workshop.dialogue, number=1)
    assert session.saunders_stage == 2 and session.phase_index == 1
    assert any(e.action == "sustained.stage" for e in events_for(group.workshop.initiative.pk))
    # the group sees the marker, without any participant's name
    seen = group.api("GET", "/sustained", UPSTREAM).body
    assert seen["stage"] == 2 and seen["markers"][0]["marker"] == "We agreed to talk."


def test_it_carries_the_memorandum_forward_to_the_next_meeting(group: Group) -> None:
    facilitator = group.workshop.facilitator
    dialogue_actions.start_session(group.workshop.dialogue, facilitator)
    answer = group.api(
        "PUT",
        "/sustained/memorandum",
        "facilitator",
        {"summary": "We named the problems.", "pick_up": "The wells in the north."},
    )
    assert answer.status == 200, answer.body
    assert answer.body["carried_forward"] is None  # nothing before the first meeting
    dialogue_actions.start_session(group.workshop.dialogue, facilitator)
    seen = group.api("GET", "/sustained", DOWNSTREAM).body
    assert seen["meeting"] == 2
    assert seen["carried_forward"]["pick_up"] == "The wells in the north."
    assert seen["carried_forward"]["meeting"] == 1
    page = group.phone(DOWNSTREAM).get(f"/d/{group.dialogue_id}/sustained").content.decode()
    assert "The wells in the north." in page and "What we agreed to pick up" in page


def test_it_keeps_every_version_of_the_relationship_map(group: Group) -> None:
    dialogue = group.workshop.dialogue
    dialogue_actions.start_session(dialogue, group.workshop.facilitator)
    first = group.api("POST", "/sustained/map", UPSTREAM, {"identity": "Farmers", "power": "Dams"})
    assert first.status == 201 and first.body == {"version": 1, "meeting": 1}
    dialogue_actions.start_session(dialogue, group.workshop.facilitator)
    again = group.api("POST", "/sustained/map", "facilitator", {"identity": "Farmers and herders"})
    assert again.body == {"version": 2, "meeting": 2}
    versions = queries.map_versions(dialogue)
    assert [v.version for v in versions] == [2, 1]
    assert versions[1].elements["power"] == "Dams" and not versions[1].by_facilitator
    assert versions[0].by_facilitator
    bad = group.api("POST", "/sustained/map", UPSTREAM, {})
    assert bad.status == 400 and "fill at least one element" in bad.body["detail"]


def test_it_builds_scenarios_at_stage_four_only(group: Group) -> None:
    dialogue = group.workshop.dialogue
    dialogue_actions.start_session(dialogue, group.workshop.facilitator)
    scenario = {"title": "Shared wells", "resources": "Two engineers", "sequence": "Survey first"}
    early = group.api("POST", "/sustained/scenarios", UPSTREAM, scenario)
    assert early.status == 409
    assert "stage 4" in early.body["detail"] and "stage 1" in early.body["detail"]
    actions.move_to_stage(dialogue, 4, "Ready to build scenarios.", group.workshop.facilitator)
    made = group.api("POST", "/sustained/scenarios", UPSTREAM, scenario)
    assert made.status == 201, made.body
    (sheet,) = queries.scenarios(dialogue)
    assert sheet.answers["resources"] == "Two engineers" and sheet.answers["obstacles"] == ""


def test_it_refuses_the_stages_outside_a_sustained_dialogue() -> None:
    workshop = make_group("problem-solving-workshop")
    dialogue_actions.start_session(workshop.workshop.dialogue, workshop.workshop.facilitator)
    answer = workshop.api("POST", "/sustained/stage", "facilitator", {"stage": 2, "marker": "x"})
    assert answer.status == 409
    assert "Sustained Dialogue" in answer.body["detail"]
    assert "Interactive problem-solving workshop" in answer.body["detail"]
    with pytest.raises(OutOfFormat):
        actions.save_relationship_map(
            workshop.workshop.dialogue, {"identity": "x"}, workshop.workshop.facilitator
        )
    page = workshop.desk().post(
        f"/dialogues/{workshop.dialogue_id}/sustained/stage", {"stage": "2"}
    )
    assert page.status_code == 302
    shown = workshop.desk().get(f"/dialogues/{workshop.dialogue_id}/sustained").content.decode()
    assert "belong to a Sustained Dialogue" in shown


def test_it_lets_only_facilitators_move_stages_and_write_memoranda(group: Group) -> None:
    dialogue_actions.start_session(group.workshop.dialogue, group.workshop.facilitator)
    body = {"stage": 2, "marker": "We agreed."}
    assert group.api("POST", "/sustained/stage", UPSTREAM, body).status == 403
    assert group.api("POST", "/sustained/stage", "observer", body).status == 403
    memo = {"summary": "s"}
    assert group.api("PUT", "/sustained/memorandum", UPSTREAM, memo).status == 403
    with pytest.raises(NotAllowed):
        actions.move_to_stage(group.workshop.dialogue, 2, "x", group.workshop.observer)


def test_it_refuses_a_transition_before_the_first_meeting(group: Group) -> None:
    answer = group.api("POST", "/sustained/stage", "facilitator", {"stage": 2, "marker": "x"})
    assert answer.status == 409 and "first meeting" in answer.body["detail"]
