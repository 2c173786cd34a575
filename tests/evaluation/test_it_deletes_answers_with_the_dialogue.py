"""Surveys and their answers are confidential rows: a retention purge of the dialogue and a
wipe of the initiative delete them, through safety's registry."""

from __future__ import annotations

from evaluation_support import Workshop

from tracktwo.evaluation import actions
from tracktwo.evaluation.models import Response, Survey
from tracktwo.safety.audit import Actor
from tracktwo.safety.registry import confidential_rows
from tracktwo.safety.retention import delete_dialogue_content, wipe


def _answered(workshop: Workshop) -> None:
    workshop.survey("pre")
    actions.answer(workshop.join("amal"), "pre", {"thermometer": 40})


def test_it_registers_its_rows() -> None:
    names = {rows.name for rows in confidential_rows()}
    assert {"survey_responses", "surveys"} <= names


def test_it_goes_with_the_dialogues_content(workshop: Workshop) -> None:
    _answered(workshop)
    deleted = delete_dialogue_content([workshop.dialogue.pk])
    assert deleted["survey_responses"] == 1 and deleted["surveys"] == 1
    assert not Response.objects.exists() and not Survey.objects.exists()


def test_it_goes_with_a_wiped_initiative(workshop: Workshop) -> None:
    _answered(workshop)
    wipe(workshop.initiative.pk, actor=Actor.user(workshop.convener), rotate_master=False)
    assert not Response.objects.exists() and not Survey.objects.exists()
