"""The survey pages: a participant answers the pre and post waves through plain forms with
the quick exit; the convener composes, opens waves and sees the change with its figure."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone
from evaluation_support import Workshop

from tracktwo.evaluation import actions, queries
from tracktwo.safety.datakeys import box_for


def test_it_lets_a_participant_answer_and_skip(workshop: Workshop) -> None:
    workshop.survey("pre")
    phone, person = workshop.browser("amal")
    d = workshop.dialogue.pk
    listing = phone.get(f"/d/{d}/survey").content.decode()
    assert f"/d/{d}/survey/pre" in listing and 'class="quick-exit"' in listing
    page = phone.get(f"/d/{d}/survey/pre").content.decode()
    assert 'dir="auto"' in page and 'name="thermometer"' in page and 'type="radio"' in page
    response = phone.post(f"/d/{d}/survey/pre", {"thermometer": "35", "stance": "6"})
    assert response.status_code == 302
    survey = queries.survey_of(workshop.dialogue)
    assert survey is not None
    own = queries.own_answers(survey, person, "pre", box_for(workshop.initiative.pk))
    assert own == {"thermometer": 35, "stance": 6}  # the trust items were skipped
    assert phone.post(f"/d/{d}/survey/pre", {"thermometer": "135"}).status_code == 400
    assert phone.get(f"/d/{d}/survey/post").status_code == 200  # says it is not open
    assert phone.post(f"/d/{d}/survey/post", {"thermometer": "5"}).status_code == 400
    assert phone.get(f"/d/{d}/survey/later").status_code == 404


def test_it_lets_the_convener_compose_open_waves_and_see_the_change(workshop: Workshop) -> None:
    convener = Client()
    convener.force_login(workshop.convener)
    d = workshop.dialogue.pk
    assert "Compose the survey" in convener.get(f"/dialogues/{d}/evaluation/").content.decode()
    page = convener.get(f"/dialogues/{d}/evaluation/compose").content.decode()
    assert "Stephan &amp; Stephan" in page  # the source beside the measure
    response = convener.post(
        f"/dialogues/{d}/evaluation/compose",
        {"items": ["thermometer", "trust_word"], "own": "I would visit the other bank."},
    )
    assert response.status_code == 302
    convener.post(f"/dialogues/{d}/evaluation/waves", {"open": ["pre"]})
    people = [p for side in workshop.people((5, 5)) for p in side]
    for person in people:
        actions.answer(person, "pre", {"thermometer": 40, "custom_1": 2})
    convener.post(f"/dialogues/{d}/evaluation/waves", {"open": ["post"], "follow_up_on": ""})
    survey = queries.survey_of(workshop.dialogue)
    assert survey is not None
    assert survey.follow_up_on == timezone.localdate() + dt.timedelta(days=30)
    for i, person in enumerate(people):
        actions.answer(person, "post", {"thermometer": 50 + i % 3, "custom_1": 4})
    html = convener.get(f"/dialogues/{d}/evaluation/").content.decode()
    assert "<svg" in html and "<circle" in html  # the change figure
    assert "Feeling thermometer" in html and "I would visit the other bank." in html
    assert "Upstream" in html
