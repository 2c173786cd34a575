"""Participants answer open waves, may skip any item, and may correct their answers."""

from __future__ import annotations

import pytest
from evaluation_support import Workshop

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.evaluation import actions, queries
from tracktwo.evaluation.models import Response
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed
from tracktwo.safety.datakeys import box_for


def test_it_records_and_replaces_a_participants_answers(workshop: Workshop) -> None:
    workshop.survey("pre")
    person = workshop.join("amal")
    actions.answer(person, "pre", {"thermometer": 40, "trust_word": None, "stance": 6})
    actions.answer(person, "pre", {"thermometer": 45})
    survey = queries.survey_of(workshop.dialogue)
    assert survey is not None
    box = box_for(workshop.initiative.pk)
    assert queries.own_answers(survey, person, "pre", box) == {"thermometer": 45}
    assert Response.objects.count() == 1


def test_it_refuses_closed_waves_values_off_the_scale_and_foreign_items(
    workshop: Workshop,
) -> None:
    person = workshop.join("amal")
    with pytest.raises(Conflict):
        actions.answer(person, "pre", {"thermometer": 50})  # no survey yet
    workshop.survey("pre")
    with pytest.raises(Conflict):
        actions.answer(person, "post", {"thermometer": 50})
    with pytest.raises(InvalidInput) as off_scale:
        actions.answer(person, "pre", {"trust_word": 9})
    assert off_scale.value.field == "answers.trust_word"
    with pytest.raises(InvalidInput):
        actions.answer(person, "pre", {"contact_often": 3})  # not in this survey
    with pytest.raises(InvalidInput):
        actions.answer(person, "later", {"thermometer": 3})


def test_it_asks_prior_stance_only_before(workshop: Workshop) -> None:
    workshop.survey("post")
    person = workshop.join("amal")
    with pytest.raises(InvalidInput):
        actions.answer(person, "post", {"stance": 3})


def test_it_keeps_observers_and_the_withdrawn_out(workshop: Workshop) -> None:
    workshop.survey("pre")
    watcher = workshop.join("watcher", role="observer")
    with pytest.raises(NotAllowed):
        actions.answer(watcher, "pre", {"thermometer": 50})
    person = workshop.join("amal")
    dialogue_actions.withdraw(person)
    person.refresh_from_db()
    with pytest.raises(NotAllowed):
        actions.answer(person, "pre", {"thermometer": 50})
