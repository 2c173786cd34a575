"""Issue 13, unit level: the agenda, the vote rules per meeting and phase, the per-phase
split, and what off the record refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import FACILITATOR, Workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.actions import meetings, phase_rules
from tracktwo.insight.phases import phase_sections
from tracktwo.insight.results import Consensus, CrossSide, DialogueInsight
from tracktwo.practice.agenda import VoteRule, agenda, allowed_values, next_custom_key, vote_rule
from tracktwo.practice.errors import HeldInPhase, InvalidInput, RoundClosed

pytestmark = pytest.mark.django_db


def test_it_reads_the_agenda_from_the_dialogue_not_the_template() -> None:
    phases = agenda(
        "problem-solving-workshop",
        ["joint-thinking", "custom-1", "constraints"],
        {"joint-thinking": {"name": "Brainstorm"}, "custom-1": {"name": "Visit", "held": True}},
    )
    assert [str(p.name) for p in phases] == ["Brainstorm", "Visit", "Constraints"]
    assert [p.criticism_held_back for p in phases] == [True, True, False]
    assert next_custom_key(["custom-1", "custom-7", "constraints"]) == "custom-8"


def test_it_says_which_votes_each_meeting_takes() -> None:
    phases = agenda("problem-solving-workshop", ["needs-and-fears", "constraints"], {})
    assert vote_rule("agenda", phases[0]) == VoteRule.HELD
    assert vote_rule("agenda", phases[1]) == VoteRule.ALL
    for kind in ("pre-briefing", "opening", "re-entry"):
        assert vote_rule(kind, phases[1]) == VoteRule.NONE
    assert allowed_values(VoteRule.HELD) == {1, 0}
    assert allowed_values(VoteRule.NONE) == set()
    assert allowed_values(VoteRule.ALL) == {1, 0, -1}


def test_it_refuses_a_disagree_vote_in_the_brainstorm_by_action(workshop: Workshop) -> None:
    workshop.cast(FACILITATOR)
    alice = workshop.join("Alice", 0).participant
    statement = actions.write_statement(workshop.dialogue, "Idea.", user=workshop.facilitator)
    session = actions.start_session(workshop.dialogue, workshop.facilitator)
    assert phase_rules.allowed_votes(workshop.dialogue, session) == {1, 0}
    with pytest.raises(HeldInPhase, match="Needs and fears") as error:
        actions.cast_vote(alice, statement.pk, -1)
    assert error.value.http_status == 409
    assert actions.cast_vote(alice, statement.pk, 1).phase_index == 0
    actions.set_phase(session, 2, workshop.facilitator)
    session.refresh_from_db()
    assert session.vote_rule == VoteRule.ALL
    assert actions.cast_vote(alice, statement.pk, -1).phase_index == 2


def test_it_closes_the_round_and_opens_the_next_phase_without_it(workshop: Workshop) -> None:
    workshop.cast(FACILITATOR)
    alice = workshop.join("Alice", 0).participant
    statement = actions.write_statement(workshop.dialogue, "Idea.", user=workshop.facilitator)
    session = actions.start_session(workshop.dialogue, workshop.facilitator)
    meetings.start_round(session, 10, workshop.facilitator)
    session.round_ends_at = session.round_ends_at - timedelta(minutes=11)  # type: ignore[operator]
    session.save(update_fields=["round_ends_at"])
    with pytest.raises(RoundClosed, match="timed round"):
        actions.cast_vote(alice, statement.pk, 1)
    with pytest.raises(InvalidInput):
        meetings.start_round(session, 241, workshop.facilitator)
    actions.advance_phase(session, workshop.facilitator)
    assert actions.cast_vote(alice, statement.pk, 1).phase_index == 1


def test_it_splits_one_analysis_by_phase_purely() -> None:
    insight = DialogueInsight(
        dialogue=1,
        audience="facilitator",
        status="ready",
        consensus_agree=(Consensus(11, 5, 6, 0.9), Consensus(12, 5, 6, 0.9)),
        cross_side=CrossSide(available=True, common_ground=(12,), divides=(13,)),
    )
    phases = agenda("problem-solving-workshop", ["needs-and-fears", "joint-thinking"], {})
    sections = phase_sections(insight, phases, {11: 0, 12: 1, 13: 1, 14: None}, {0: 4, 1: 9})
    assert [(s.key, s.statements, s.votes) for s in sections] == [
        ("needs-and-fears", 1, 4),
        ("joint-thinking", 2, 9),
    ]
    assert sections[0].consensus == (11,) and sections[0].common_ground == ()
    assert sections[1].consensus == (12,) and sections[1].common_ground == (12,)
    assert sections[1].divides == (13,)
