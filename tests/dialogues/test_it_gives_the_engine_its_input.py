import numpy as np
import pytest
from factories import Workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.queries import reading
from tracktwo.insight.engine_input import (
    dialogue_statements,
    dialogue_vote_events,
    participant_parties,
)

pytestmark = pytest.mark.django_db


def test_it_hands_votes_to_the_engine_by_opaque_ids(workshop: Workshop) -> None:
    heron = actions.participant_by_token(workshop.join("Heron", party=0).token)
    crane = actions.participant_by_token(workshop.join("Crane", party=1).token)
    first = actions.write_statement(workshop.dialogue, "Share the water", user=workshop.convener)
    second = actions.write_statement(workshop.dialogue, "Build the dam", participant=heron)
    pending = actions.write_statement(workshop.dialogue, "Wait", participant=crane)
    actions.moderate_statement(second, "accepted", workshop.convener)
    actions.cast_vote(heron, first.pk, 1)
    actions.cast_vote(heron, first.pk, -1)
    actions.cast_vote(crane, first.pk, 1)
    actions.cast_vote(crane, second.pk, 0)

    statements = dialogue_statements(workshop.dialogue)
    assert statements.ids == (first.pk, second.pk, pending.pk)
    assert statements.texts == ("Share the water", "Build the dam", "Wait")
    assert statements.moderated.tolist() == [1, 1, 0]

    events = dialogue_vote_events(workshop.dialogue, statements)
    assert len(events) == 4
    assert set(events.participant_ids) == {heron.public_id, crane.public_id}
    latest = events.latest()
    cells = {
        (events.participant_ids[p], events.statements.ids[s]): int(v)
        for p, s, v in zip(latest.participant, latest.statement, latest.vote, strict=True)
    }
    assert cells == {
        (heron.public_id, first.pk): -1,
        (crane.public_id, first.pk): 1,
        (crane.public_id, second.pk): 0,
    }
    assert np.all(np.diff(events.timestamp) >= 0)
    assert participant_parties(workshop.dialogue) == {
        heron.public_id: "Upstream",
        crane.public_id: "Downstream",
    }
    handles = ("Heron", "Crane", "heron", "crane")
    assert not any(h in repr(events.participant_ids) for h in handles)


def test_it_drops_deleted_statements_out_of_the_analysis(workshop: Workshop) -> None:
    heron = actions.participant_by_token(workshop.join("Heron").token)
    own = actions.write_statement(workshop.dialogue, "Mine", participant=heron)
    actions.moderate_statement(own, "accepted", workshop.convener)
    actions.cast_vote(heron, own.pk, 1)
    actions.delete_own_statement(heron, own.pk)
    statements = dialogue_statements(workshop.dialogue)
    assert statements.texts == (None,)
    assert statements.moderated.tolist() == [-1]


def test_it_gives_an_empty_dialogue_empty_input(workshop: Workshop) -> None:
    events = dialogue_vote_events(workshop.dialogue, dialogue_statements(workshop.dialogue))
    assert len(events) == 0 and events.latest().vote.shape == (0,)
    assert participant_parties(workshop.dialogue) == {}


def test_it_counts_the_delegations(workshop: Workshop) -> None:
    workshop.join("A", party=0, gender="woman")
    workshop.join("B", party=0, gender="man")
    workshop.join("C", party=1, gender="woman")
    actions.withdraw(workshop.join("D", party=1).participant)
    _, token = actions.create_invitation(
        workshop.dialogue, party=workshop.parties[1], track=1, official=True, by=workshop.convener
    )
    actions.join(token, "E", True)
    balance = reading.delegation_balance(workshop.dialogue)
    assert balance.total == 4
    assert balance.by_party == {"Upstream": 2, "Downstream": 2}
    assert balance.by_gender == {"female": 2, "male": 1, "": 1}  # typed words, one list
    assert balance.by_track == {1: 1}
    assert balance.officials == 1
