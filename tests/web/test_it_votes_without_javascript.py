"""Voting through plain HTML forms: one statement at a time, three buttons, then the next."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from web_support import World, participant_of, text_of

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Vote

pytestmark = pytest.mark.django_db


def _shown_statement(page: str) -> int:
    found = re.search(r'name="statement" value="(\d+)"', page)
    assert found is not None, page
    return int(found.group(1))


def test_it_shows_one_statement_with_three_buttons_in_a_plain_form(world: World) -> None:
    world.seed("The river belongs to both valleys.")
    client = world.join("Heron")
    page = client.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    assert "The river belongs to both valleys." in page
    assert page.count('name="vote"') == 3
    for value in ("agree", "disagree", "pass"):
        assert f'value="{value}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "<script>" not in page and " style=" not in page
    assert "<title>Vote · Dialogue</title>" in page
    assert 'class="quick-exit"' in page


def test_it_records_each_vote_and_moves_to_the_next_statement(world: World) -> None:
    seeds = {world.seed(f"Statement number {n}").pk for n in range(3)}
    client = world.join("Heron")
    participant = participant_of(client)
    url = f"/d/{world.dialogue.pk}/vote"
    shown: list[int] = []
    for choice in ("agree", "disagree", "pass"):
        statement = _shown_statement(client.get(url).content.decode())
        shown.append(statement)
        response = client.post(url, {"statement": statement, "vote": choice})
        assert response.status_code == 302
        assert response["Location"] == url
    assert set(shown) == seeds  # every statement once, none twice
    values = dict(Vote.objects.filter(participant=participant).values_list("statement_id", "value"))
    assert [values[s] for s in shown] == [1, -1, 0]
    done = text_of(client.get(url).content)
    assert "You have voted on every statement" in done


def test_it_counts_a_re_vote_as_the_last_word(world: World) -> None:
    statement = world.seed("Share the dams' data.")
    client = world.join("Heron")
    url = f"/d/{world.dialogue.pk}/vote"
    client.post(url, {"statement": statement.pk, "vote": "agree"})
    client.post(url, {"statement": statement.pk, "vote": "disagree"})
    rows = Vote.objects.filter(statement=statement).order_by("id")
    assert [v.value for v in rows] == [1, -1]


def test_it_refuses_votes_on_statements_not_open_for_voting(world: World) -> None:
    client = world.join("Heron")
    pending = actions.write_statement(
        world.dialogue, "Not yet moderated", participant=participant_of(world.join("Kestrel"))
    )
    elsewhere = world.seed("In another dialogue", dialogue=world.other)
    url = f"/d/{world.dialogue.pk}/vote"
    for statement in (pending, elsewhere):
        response = client.post(url, {"statement": statement.pk, "vote": "agree"}, follow=True)
        assert "no longer open for voting" in text_of(response.content)
    assert Vote.objects.count() == 0
    assert client.post(url, {"statement": "x", "vote": "agree"}).status_code == 400
    assert client.post(url, {"statement": pending.pk, "vote": "maybe"}).status_code == 400


def test_it_asks_for_the_new_ground_rules_before_voting_again(world: World) -> None:
    statement = world.seed("Meet every month.")
    client = world.join("Heron")
    actions.update_ground_rules(world.dialogue, ["Speak for yourself."], world.facilitator)
    url = f"/d/{world.dialogue.pk}/vote"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/d/{world.dialogue.pk}/rules"
    assert client.post(url, {"statement": statement.pk, "vote": "agree"}).status_code == 302
    assert Vote.objects.count() == 0
    rules = client.get(f"/d/{world.dialogue.pk}/rules")
    assert "Speak for yourself." in text_of(rules.content)
    refused = client.post(f"/d/{world.dialogue.pk}/rules", {})
    assert "Accept the ground rules" in text_of(refused.content)
    accepted = client.post(f"/d/{world.dialogue.pk}/rules", {"accept": "on"})
    assert accepted["Location"] == url
    assert client.post(url, {"statement": statement.pk, "vote": "agree"}).status_code == 302
    assert Vote.objects.count() == 1


def test_it_gives_observers_no_vote_buttons(world: World) -> None:
    world.seed("Meet every month.")
    client = Client()
    client.get(f"/join/{world.invite(role='observer')}")
    assert client.post("/join", {"handle": "Owl", "accept": "on"}).status_code == 201
    page = client.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    assert 'name="vote"' not in page
    assert "observers do not vote" in text_of(page)


@override_settings(TRACKTWO_RATELIMITS={"sign-in": "10/m", "join": "30/h", "vote": "2/m"})
def test_it_limits_votes_per_participant(world: World) -> None:
    statement = world.seed("Meet every month.")
    first, second = world.join("Heron"), world.join("Kestrel")
    url = f"/d/{world.dialogue.pk}/vote"
    for _ in range(2):
        assert first.post(url, {"statement": statement.pk, "vote": "agree"}).status_code == 302
    assert first.post(url, {"statement": statement.pk, "vote": "agree"}).status_code == 429
    # Another participant behind the same address is not held back.
    assert second.post(url, {"statement": statement.pk, "vote": "agree"}).status_code == 302
