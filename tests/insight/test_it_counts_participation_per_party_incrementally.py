"""The dashboard's participation per party, kept per process and counted incrementally
(tracktwo.insight.turnout), equals a count from nothing after every kind of change: new
votes, new participants, a withdrawal, votes removed with consent; and it opens only the
profiles of participants who joined since the last count."""

from __future__ import annotations

from collections import Counter

import pytest
from insight_support import Room

from tracktwo.consent import actions as consent
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.insight import turnout
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    turnout.forget()


def from_nothing(dialogue: Dialogue) -> tuple[Counter[int], Counter[int], Counter[int]]:
    """Joined, voted and vote rows per party id, straight from every row."""
    box = box_for(dialogue.initiative_id)
    joined, voted, votes = Counter[int](), Counter[int](), Counter[int]()
    for person in Participant.objects.filter(
        dialogue=dialogue, role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True
    ):
        party = Profile.from_json(person.profile.read(box)).party_id
        n = Vote.objects.filter(participant=person).count()
        joined[party] += 1
        voted[party] += n > 0
        votes[party] += n
    return joined, voted, votes


def counted(dialogue: Dialogue) -> tuple[Counter[int], Counter[int], Counter[int]]:
    found = turnout.party_counts(dialogue)
    return +found.joined, +found.voted, +found.votes


def vote(room: Room, people: list[Participant], value: int = 1) -> None:
    for i, person in enumerate(people):
        actions.cast_vote(person, room.statements[i % len(room.statements)].pk, value)


def test_it_matches_a_count_from_nothing_after_every_change(room: Room) -> None:
    dialogue = room.dialogue
    vote(room, room.participants[:20])
    assert counted(dialogue) == from_nothing(dialogue)
    assert sum(counted(dialogue)[1].values()) == 20

    vote(room, room.participants[10:], -1)  # new rows, some from people who voted already
    assert counted(dialogue) == from_nothing(dialogue)

    party = room.initiative.parties.order_by("position").first()
    _, invitation = actions.create_invitation(dialogue, party=party, by=room.facilitator)
    newcomer = actions.join(invitation, "newcomer", True).participant
    vote(room, [newcomer])
    assert counted(dialogue) == from_nothing(dialogue)

    actions.withdraw(room.participants[0], remove_contributions=True)
    assert counted(dialogue) == from_nothing(dialogue)

    consent.withdraw_consent(room.participants[11])  # votes go, the person stays
    assert counted(dialogue) == from_nothing(dialogue)
    assert counted(dialogue)[2] == from_nothing(dialogue)[2]

    turnout.forget(dialogue.pk)
    assert counted(dialogue) == from_nothing(dialogue)


def test_it_opens_only_the_profiles_of_who_joined_since(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    vote(room, room.participants)
    opened: list[object] = []
    real = Profile.from_json

    def counting(raw: dict[str, object]) -> Profile:
        opened.append(raw)
        return real(raw)

    monkeypatch.setattr(Profile, "from_json", staticmethod(counting))
    counted(room.dialogue)
    assert len(opened) == len(room.participants)
    vote(room, room.participants[:5], -1)
    counted(room.dialogue)
    assert len(opened) == len(room.participants)  # new votes: no profile opened again
    party = room.initiative.parties.order_by("position").last()
    _, invitation = actions.create_invitation(room.dialogue, party=party, by=room.facilitator)
    actions.join(invitation, "late joiner", True)
    counted(room.dialogue)
    assert len(opened) == len(room.participants) + 1
