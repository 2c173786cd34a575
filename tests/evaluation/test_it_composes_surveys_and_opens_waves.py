"""Facilitators compose a survey from the library and their own items, and open its waves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from evaluation_support import Workshop, make_user

from tracktwo.evaluation import actions, queries
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed
from tracktwo.safety.audit import events_for
from tracktwo.safety.datakeys import box_for


def test_it_composes_from_the_library_and_own_items(workshop: Workshop) -> None:
    survey = actions.compose_survey(
        workshop.convener,
        workshop.dialogue,
        items=["thermometer", "anxiety_at_ease", "thermometer"],
        custom=[{"text": "I would visit the other bank.", "low": 1, "high": 5}],
    )
    items = actions.scales(survey, box_for(workshop.initiative.pk))
    assert list(items) == ["thermometer", "anxiety_at_ease", "custom_1"]
    assert items["custom_1"].text == "I would visit the other bank."
    assert items["anxiety_at_ease"].reverse and items["anxiety_at_ease"].score(7) == 1.0
    assert b"visit the other bank" not in bytes(survey.custom_sealed)
    actions_logged = [e.action for e in events_for(workshop.initiative.pk)]
    assert "evaluation.survey_composed" in actions_logged


def test_it_refuses_unknown_items_and_bad_scales(workshop: Workshop) -> None:
    with pytest.raises(InvalidInput) as unknown:
        actions.compose_survey(workshop.convener, workshop.dialogue, items=["iq"])
    assert unknown.value.field == "items"
    with pytest.raises(InvalidInput) as scale:
        actions.compose_survey(
            workshop.convener,
            workshop.dialogue,
            items=[],
            custom=[{"text": "x", "low": 5, "high": 5}],
        )
    assert scale.value.field == "custom[0].high"


def test_it_lets_only_facilitators_compose(workshop: Workshop) -> None:
    observer = make_user("observer")
    initiative_actions.add_member(workshop.initiative, observer, "observer", workshop.convener)
    with pytest.raises(NotAllowed):
        actions.compose_survey(observer, workshop.dialogue, items=["thermometer"])


def test_it_sets_the_follow_up_thirty_days_after_the_post_wave_opens(workshop: Workshop) -> None:
    with pytest.raises(Conflict):
        actions.set_waves(workshop.convener, workshop.dialogue, open_waves=["pre"])
    workshop.survey("pre")
    survey = actions.set_waves(workshop.convener, workshop.dialogue, open_waves=["post"])
    today = timezone.localdate()
    assert survey.follow_up_on == today + dt.timedelta(days=30)
    assert not actions.wave_is_open(survey, "follow-up", today)
    assert actions.wave_is_open(survey, "follow-up", today + dt.timedelta(days=30))
    assert not actions.wave_is_open(survey, "pre", today)


def test_it_keeps_a_follow_up_date_the_convener_chose(workshop: Workshop) -> None:
    workshop.survey("pre")
    chosen = timezone.localdate() + dt.timedelta(days=45)
    actions.set_waves(workshop.convener, workshop.dialogue, open_waves=["pre"], follow_up_on=chosen)
    survey = actions.set_waves(workshop.convener, workshop.dialogue, open_waves=["post"])
    assert survey.follow_up_on == chosen
    assert queries.survey_out(survey)["open_waves"] == ["post"]


def test_it_keeps_own_questions_once_answers_came_in(workshop: Workshop) -> None:
    own = [{"text": "I would visit the other bank.", "low": 1, "high": 5}]
    actions.compose_survey(workshop.convener, workshop.dialogue, items=[], custom=own)
    actions.set_waves(workshop.convener, workshop.dialogue, open_waves=["pre"])
    actions.answer(workshop.join("amal"), "pre", {"custom_1": 4})
    with pytest.raises(Conflict):
        actions.compose_survey(
            workshop.convener,
            workshop.dialogue,
            items=[],
            custom=[{"text": "Something else.", "low": 1, "high": 5}],
        )
    actions.compose_survey(workshop.convener, workshop.dialogue, items=["thermometer"], custom=own)
