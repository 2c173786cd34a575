"""The personas of tests/factories.py hold the roles its table gives them, and no more."""

import pytest
from factories import DOWNSTREAM, MEMBERS, PARTICIPANTS, SIDES, UPSTREAM, Workshop, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.initiatives import permissions

pytestmark = pytest.mark.django_db


def test_it_gives_each_member_persona_its_role(workshop: Workshop) -> None:
    workshop.cast(*MEMBERS)
    initiative, dialogue = workshop.initiative, workshop.dialogue
    second = actions.create_dialogue(
        initiative, "Second", "living-room", "chatham-house", workshop.convener
    )
    table = {
        # persona: (convene, facilitate dialogue, facilitate second, observe dialogue, liaison)
        "convener": (True, True, True, True, False),
        "lead_facilitator": (False, True, True, True, False),
        "facilitator": (False, True, False, True, False),
        "observer": (False, False, False, True, False),
        "liaison": (False, False, False, False, True),
        "other_liaison": (False, False, False, False, True),
        "outsider": (False, False, False, False, False),
    }
    assert set(workshop.people) == set(table)
    for name, expected in table.items():
        user = workshop.people[name]
        got = (
            permissions.can_convene(user, initiative),
            permissions.can_facilitate(user, dialogue),
            permissions.can_facilitate(user, second),
            permissions.can_observe(user, dialogue),
            permissions.is_liaison(user, initiative),
        )
        assert got == expected, name


def test_it_joins_a_participant_on_each_side() -> None:
    workshop = make_workshop(personas=(UPSTREAM, DOWNSTREAM))
    assert set(workshop.joined) == set(PARTICIPANTS)
    for name, side in PARTICIPANTS.items():
        participant = workshop.joined[name].participant
        profile = Profile.from_json(participant.profile.read(workshop.box()))
        assert participant.dialogue_id == workshop.dialogue.pk
        assert profile.party_id == workshop.parties[side].pk
    assert [party.name.read(workshop.box()) for party in workshop.parties] == list(SIDES)
