"""Canaries: reflections stay in their circle and amendments with their writer.

A reflection is read by the circle (its participants and facilitators), without a name, and
never reaches a brief, an export or the analysis; an observer with an account is outside the
circle. An amendment is shown to everyone without its writer, and only the writer sees it
marked as theirs. Neither is stored in clear.
"""

from __future__ import annotations

import pytest
from factories import CONVENER, DOWNSTREAM, UPSTREAM, assess_tool, issue_token
from formats_support import Group, call, make_group

from tracktwo.circles import actions as circles
from tracktwo.circles.models import Reflection
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.jointtext import drafting
from tracktwo.jointtext.models import Amendment, JointText

pytestmark = pytest.mark.django_db

REFLECTION = "CANARY-REFLECTION-olive-grove"
AMENDMENT = "CANARY-AMENDMENT-river-accord"


def handles(group: Group) -> list[str]:
    box = group.workshop.box()
    return [j.participant.handle.read(box) for j in group.workshop.joined.values()]


def outside_readings(group: Group) -> list[str]:
    """What leaves the dialogue: its brief, its Pol.is export, its analysis, its statements."""
    dialogue_id = group.dialogue_id
    assess_tool(group.workshop.dialogue, group.workshop.people[CONVENER], "polis_export")
    convener = issue_token(group.workshop.people[CONVENER])
    out = []
    for path, token in (
        ("/brief?format=md", group.facilitator_token),
        ("/brief?format=html", group.facilitator_token),
        ("/export/polis", convener),
        ("/analysis", group.facilitator_token),
        ("/statements", group.facilitator_token),
    ):
        answer = call("GET", f"/dialogues/{dialogue_id}{path}", token)
        assert answer.status == 200, (path, answer.body)
        out.append(str(answer.body))
    return out


def test_it_keeps_reflections_inside_the_circle() -> None:
    group = make_group("living-room")
    dialogue, facilitator = group.workshop.dialogue, group.workshop.facilitator
    circles.hold_gathering(dialogue, facilitator)
    circles.open_round(dialogue, "What do you carry with you?", facilitator)
    dialogue_actions.write_statement(dialogue, "A seed statement.", user=facilitator)
    assert group.api("POST", "/circle/reflections", UPSTREAM, {"text": REFLECTION}).status == 201
    # inside the circle: read, never with a name
    for who in (DOWNSTREAM, "facilitator"):
        seen = group.api("GET", "/circle", who).body
        assert REFLECTION in str(seen["reflections"])
        for reflection in seen["reflections"]:
            assert set(reflection) == {"text", "mine"}
    phone = group.phone(DOWNSTREAM).get(f"/d/{group.dialogue_id}/circle").content.decode()
    assert REFLECTION in phone
    up = handles(group)[0]
    assert up not in phone
    # outside it: nothing
    assert group.api("GET", "/circle", "observer").status == 403
    for reading in outside_readings(group):
        assert REFLECTION not in reading
    assert all(REFLECTION.encode() not in bytes(r.text_sealed) for r in Reflection.objects.all())


def test_it_never_names_the_writer_of_an_amendment() -> None:
    group = make_group("problem-solving-workshop")
    facilitator = group.workshop.facilitator
    joint_text = drafting.start(group.workshop.dialogue, "joint-memorandum", "Water", facilitator)
    drafting.add_version(joint_text, ["The river is shared."], "", facilitator)
    answer = group.api("POST", "/joint-text/amendments", UPSTREAM, {"text": AMENDMENT})
    assert answer.status == 201
    names = handles(group)
    mine = group.api("GET", "/joint-text", UPSTREAM).body["amendments"]
    assert [(a["text"], a["mine"]) for a in mine] == [(AMENDMENT, True)]
    for who in (DOWNSTREAM, "facilitator", "observer"):
        seen = group.api("GET", "/joint-text", who).body
        assert [(a["text"], a["mine"]) for a in seen["amendments"]] == [(AMENDMENT, False)]
        assert not any(name in str(seen) for name in names)
    desk = group.desk().get(f"/dialogues/{group.dialogue_id}/joint-text").content.decode()
    assert AMENDMENT in desk and not any(name in desk for name in names)
    phone = group.phone(DOWNSTREAM).get(f"/d/{group.dialogue_id}/joint-text").content.decode()
    assert AMENDMENT in phone and "yours" not in phone
    for reading in outside_readings(group):
        assert AMENDMENT not in reading
    row = Amendment.objects.get()
    public_id = group.workshop.joined[UPSTREAM].participant.public_id
    assert public_id not in row.author and AMENDMENT.encode() not in bytes(row.text_sealed)
    assert JointText.objects.count() == 1
