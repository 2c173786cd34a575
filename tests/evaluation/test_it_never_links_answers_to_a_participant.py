"""Canary: a participant's answers are linked across waves by an opaque key, never by
identity. The rows hold no participant id, public id, handle or time, their values are
sealed, and nobody but the participant is shown anyone's own answers."""

from __future__ import annotations

import hashlib

from django.db import connection
from evaluation_support import Workshop

from tracktwo.evaluation import actions, queries
from tracktwo.evaluation.models import Response

CANARY_HANDLE = "Canary-Handle-7f3a"


def _all_bytes() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM evaluation_response")
        rows = cursor.fetchall()
        names = [c[0] for c in cursor.description]
    assert "participant_id" not in names and not any("time" in n or "_at" in n for n in names)
    return repr(rows).encode()


def test_it_stores_no_link_to_the_participant(workshop: Workshop) -> None:
    workshop.survey("pre", "post")
    person = workshop.join(CANARY_HANDLE)
    actions.answer(person, "pre", {"thermometer": 37})
    actions.answer(person, "post", {"thermometer": 73})
    stored = _all_bytes()
    for leak in (
        CANARY_HANDLE,
        person.public_id,
        hashlib.sha256(person.public_id.encode()).hexdigest(),
        person.token_digest or "none",
    ):
        assert leak.encode() not in stored
    keys = set(Response.objects.values_list("respondent", flat=True))
    assert len(keys) == 1  # one key links the two waves
    assert person.public_id not in next(iter(keys))


def test_it_gives_each_survey_its_own_keys(workshop: Workshop) -> None:
    workshop.survey("pre")
    person = workshop.join("amal")
    actions.answer(person, "pre", {"thermometer": 37})
    first = Response.objects.get().respondent
    Response.objects.all().delete()
    survey = queries.survey_of(workshop.dialogue)
    assert survey is not None
    survey.delete()
    workshop.survey("pre")
    actions.answer(person, "pre", {"thermometer": 37})
    assert Response.objects.get().respondent != first


def test_it_shows_a_participant_only_their_own_answers(workshop: Workshop) -> None:
    workshop.survey("pre")
    amal = workshop.join("amal")
    phone, binh = workshop.browser("binh", 1)
    actions.answer(amal, "pre", {"thermometer": 11})
    actions.answer(binh, "pre", {"thermometer": 99})
    page = phone.get(f"/d/{workshop.dialogue.pk}/survey/pre")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="99"' in body and 'value="11"' not in body
    results = phone.get(f"/dialogues/{workshop.dialogue.pk}/evaluation/")
    assert results.status_code in {302, 404}  # the results are not a participant's page
