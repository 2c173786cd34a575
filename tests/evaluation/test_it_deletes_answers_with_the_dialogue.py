"""Surveys, their answers and the outcome register are confidential rows: a retention purge of the dialogue and a
wipe of the initiative delete them, through safety's registry."""

from __future__ import annotations

import datetime as dt

from evaluation_support import Workshop

from tracktwo.evaluation import actions, outcomes
from tracktwo.evaluation.models import Outcome, Response, Survey
from tracktwo.safety.audit import Actor
from tracktwo.safety.registry import confidential_rows
from tracktwo.safety.retention import delete_dialogue_content, wipe


def _answered(workshop: Workshop) -> None:
    workshop.survey("pre")
    actions.answer(workshop.join("amal"), "pre", {"thermometer": 40})


def test_it_registers_its_rows() -> None:
    names = {rows.name for rows in confidential_rows()}
    assert {"survey_responses", "surveys", "outcomes"} <= names


def test_it_goes_with_the_dialogues_content(workshop: Workshop) -> None:
    _answered(workshop)
    deleted = delete_dialogue_content([workshop.dialogue.pk])
    assert deleted["survey_responses"] == 1 and deleted["surveys"] == 1
    assert not Response.objects.exists() and not Survey.objects.exists()


def test_it_goes_with_a_wiped_initiative(workshop: Workshop) -> None:
    _answered(workshop)
    outcomes.record_outcome(
        workshop.convener,
        workshop.initiative,
        happened_on=dt.date(2026, 11, 2),
        social_actor="A water board",
        change="Shared its data.",
        contribution="Proposed in the workshop.",
    )
    wipe(workshop.initiative.pk, actor=Actor.user(workshop.convener), rotate_master=False)
    assert not Response.objects.exists() and not Survey.objects.exists()
    assert not Outcome.objects.exists()
