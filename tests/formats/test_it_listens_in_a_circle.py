"""A listening circle: monthly gatherings of the same circle, rounds of prompts, one
reflection each, turn-taking for the facilitator only, and no voting."""

from __future__ import annotations

import datetime as dt

import pytest
from factories import DOWNSTREAM, UPSTREAM
from formats_support import Group, make_group

from tracktwo.circles import actions, queries
from tracktwo.circles.actions import one_month_after
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Vote
from tracktwo.practice.errors import OutOfFormat

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle() -> Group:
    group = make_group("living-room")
    dialogue, facilitator = group.workshop.dialogue, group.workshop.facilitator
    actions.set_rhythm(dialogue, dt.date(2026, 1, 31), facilitator)
    actions.hold_gathering(dialogue, facilitator)
    actions.open_round(dialogue, "What brought you here tonight?", facilitator)
    return group


def test_it_meets_monthly_with_the_same_circle(circle: Group) -> None:
    dialogue = circle.workshop.dialogue
    rhythm = queries.rhythm(dialogue)
    assert rhythm.gatherings == 1 and rhythm.next_on == dt.date(2026, 2, 28)
    answer = circle.api("POST", "/circle/gatherings", "facilitator")
    assert answer.status == 201 and answer.body["gathering"] == 2
    assert answer.body["next_on"] == "2026-03-28"
    assert answer.body["round"]["open"] is False  # a new gathering closes the last round
    # the standing invitation: the same participants take part, nobody was invited again
    assert circle.api("GET", "/circle", UPSTREAM).status == 200
    assert one_month_after(dt.date(2026, 12, 15)) == dt.date(2027, 1, 15)
    assert dialogue.invitations.count() == 2


def test_it_keeps_one_reflection_each_and_shows_them_unnamed(circle: Group) -> None:
    first = circle.api("POST", "/circle/reflections", UPSTREAM, {"text": "I came to listen."})
    assert first.status == 201, first.body
    again = circle.api("POST", "/circle/reflections", UPSTREAM, {"text": "I came to hear you."})
    assert again.status == 201
    circle.api("POST", "/circle/reflections", DOWNSTREAM, {"text": "My grandmother's well."})
    seen = circle.api("GET", "/circle", DOWNSTREAM).body
    texts = {r["text"]: r["mine"] for r in seen["reflections"]}
    assert texts == {"I came to hear you.": False, "My grandmother's well.": True}
    assert "turns" not in seen
    handle = circle.workshop.joined[UPSTREAM].participant.handle.read(circle.workshop.box())
    assert handle not in str(seen)


def test_it_shows_the_facilitator_who_has_spoken_and_nobody_else(circle: Group) -> None:
    circle.api("POST", "/circle/reflections", UPSTREAM, {"text": "I came to listen."})
    turns = circle.api("GET", "/circle", "facilitator").body["turns"]
    box = circle.workshop.box()
    up = circle.workshop.joined[UPSTREAM].participant.handle.read(box)
    down = circle.workshop.joined[DOWNSTREAM].participant.handle.read(box)
    assert {t["handle"]: t["spoken"] for t in turns} == {up: True, down: False}
    desk = circle.desk().get(f"/dialogues/{circle.dialogue_id}/circle").content.decode()
    assert "Who has spoken in this round" in desk and up in desk
    phone = circle.phone(DOWNSTREAM).get(f"/d/{circle.dialogue_id}/circle").content.decode()
    assert "What brought you here tonight?" in phone and "I came to listen." in phone
    assert up not in phone and "has spoken" not in phone
    # observers with an account are outside the circle
    assert circle.api("GET", "/circle", "observer").status == 403


def test_it_refuses_votes_in_a_circle_with_the_format_named(circle: Group) -> None:
    dialogue = circle.workshop.dialogue
    statement = dialogue_actions.write_statement(dialogue, "Seeded", user=circle.workshop.convener)
    body = {"statement": statement.pk, "vote": "agree"}
    answer = circle.api("POST", "/votes", UPSTREAM, body)
    assert answer.status == 409
    assert "listening circle" in answer.body["detail"] and "Living-room" in answer.body["detail"]
    page = circle.phone(UPSTREAM).post(
        f"/d/{circle.dialogue_id}/vote", {"statement": statement.pk, "vote": "agree"}, follow=True
    )
    assert "nobody votes here" in page.content.decode()
    assert not Vote.objects.filter(dialogue=dialogue).exists()


def test_it_refuses_reflections_outside_a_circle() -> None:
    workshop = make_group("problem-solving-workshop")
    answer = workshop.api("POST", "/circle/reflections", UPSTREAM, {"text": "A reflection"})
    assert answer.status == 409
    assert "listening circle" in answer.body["detail"]
    assert "Interactive problem-solving workshop" in answer.body["detail"]
    with pytest.raises(OutOfFormat):
        actions.open_round(workshop.workshop.dialogue, "Prompt", workshop.workshop.facilitator)


def test_it_refuses_a_reflection_with_no_round_open(circle: Group) -> None:
    actions.close_round(circle.workshop.dialogue, circle.workshop.facilitator)
    answer = circle.api("POST", "/circle/reflections", UPSTREAM, {"text": "Late"})
    assert answer.status == 409 and "no round is open" in answer.body["detail"]
    assert circle.api("POST", "/circle/reflections", UPSTREAM, {"text": " "}).status in {400, 409}
    assert circle.api("POST", "/circle/rounds", UPSTREAM, {"prompt": "x"}).status == 403
