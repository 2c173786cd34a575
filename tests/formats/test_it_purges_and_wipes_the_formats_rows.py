"""The formats' confidential rows are in safety's registry: a retention purge of the dialogue
and an emergency wipe of the initiative take them all."""

from __future__ import annotations

import pytest
from factories import UPSTREAM
from formats_support import Group, make_group

from tracktwo.circles import actions as circles
from tracktwo.circles.models import Circle, Reflection, Round
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.jointtext import agreement, drafting
from tracktwo.jointtext.models import Amendment, JointText, RankedBallot, TextVersion
from tracktwo.safety import retention
from tracktwo.safety.audit import Actor
from tracktwo.safety.registry import confidential_rows
from tracktwo.sustained import actions as sustained
from tracktwo.sustained.models import Memorandum, RelationshipMap, StageTransition

MODELS = (
    StageTransition,
    Memorandum,
    RelationshipMap,
    Circle,
    Round,
    Reflection,
    JointText,
    TextVersion,
    Amendment,
    RankedBallot,
)


def fill(series: Group, circle: Group) -> None:
    dialogue, facilitator = series.workshop.dialogue, series.workshop.facilitator
    meeting = dialogue_actions.start_session(dialogue, facilitator)
    sustained.move_to_stage(dialogue, 2, "We agreed.", facilitator)
    sustained.write_memorandum(meeting, "Done.", "Next.", facilitator)
    sustained.save_relationship_map(dialogue, {"identity": "x"}, facilitator)
    text = drafting.start(dialogue, "non-paper", "T", facilitator)
    drafting.add_version(text, ["One."], "", facilitator)
    drafting.add_version(text, ["Two."], "", facilitator)
    upstream = series.workshop.joined[UPSTREAM].participant
    drafting.amend(upstream, 1, "Uno.")
    agreement.open_ranking(text, [1, 2], facilitator)
    agreement.rank(upstream, [2, 1])
    room, host = circle.workshop.dialogue, circle.workshop.facilitator
    circles.hold_gathering(room, host)
    circles.open_round(room, "Why?", host)
    circles.reflect(circle.workshop.joined[UPSTREAM].participant, "Because.")


@pytest.mark.django_db
def test_it_registers_every_formats_model() -> None:
    registered = {rows.model for rows in confidential_rows()}
    assert set(MODELS) <= registered


@pytest.mark.django_db
def test_it_purges_the_dialogues_content() -> None:
    series, circle = make_group("sustained-dialogue"), make_group("living-room")
    fill(series, circle)
    assert all(model.objects.exists() for model in MODELS)
    retention.delete_dialogue_content([series.dialogue_id, circle.dialogue_id])
    assert [m.__name__ for m in MODELS if m.objects.exists()] == []


@pytest.mark.django_db(transaction=True)
def test_it_wipes_the_initiative() -> None:
    series, circle = make_group("sustained-dialogue"), make_group("living-room")
    fill(series, circle)
    retention.wipe(series.workshop.initiative.pk, actor=Actor.operator(), rotate_master=False)
    assert [m.__name__ for m in MODELS if m.objects.exists()] == ["Circle", "Round", "Reflection"]
    retention.wipe(circle.workshop.initiative.pk, actor=Actor.operator(), rotate_master=False)
    assert [m.__name__ for m in MODELS if m.objects.exists()] == []
