"""Writing statements (held for moderation or not), moderation, redaction notices, seeds,
deleting one's own statement and withdrawing."""

from __future__ import annotations

import pytest
from django.test import Client
from web_support import World, make_world, participant_of, signed_in, text_of

from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Notice, Participant, Statement, Vote
from tracktwo.practice.formats import Moderation
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def _text(statement: Statement) -> str:
    return statement.text.read(box_for(statement.dialogue.initiative_id))


def test_it_holds_statements_for_moderation_and_says_so(world: World) -> None:
    client = world.join("Heron")
    url = f"/d/{world.dialogue.pk}/write"
    form = text_of(client.get(url).content)
    assert "A facilitator reads each statement before others vote on it" in form
    response = client.post(url, {"text": "Open the sluice gates in spring."}, follow=True)
    assert "A facilitator will look at your statement" in text_of(response.content)
    statement = Statement.objects.get()
    assert statement.moderation == Moderation.PENDING
    assert statement.author_participant == participant_of(client)
    me = text_of(client.get(f"/d/{world.dialogue.pk}/me").content)
    assert "Open the sluice gates in spring." in me
    assert "Awaiting moderation" in me


def test_it_opens_statements_at_once_without_moderation(db: None) -> None:
    world = make_world(moderation_required=False)
    client = world.join("Heron")
    url = f"/d/{world.dialogue.pk}/write"
    assert "open for voting as soon as you send it" in text_of(client.get(url).content)
    response = client.post(url, {"text": "Build a joint monitoring station."}, follow=True)
    assert "Your statement is open for voting" in text_of(response.content)
    assert Statement.objects.get().moderation == Moderation.ACCEPTED
    # Another participant gets it to vote on.
    other = world.join("Kestrel")
    assert "Build a joint monitoring station." in text_of(
        other.get(f"/d/{world.dialogue.pk}/vote").content
    )


def test_it_refuses_an_empty_or_overlong_statement(world: World) -> None:
    client = world.join("Heron")
    url = f"/d/{world.dialogue.pk}/write"
    assert client.post(url, {"text": "   "}).status_code == 200
    assert client.post(url, {"text": "x" * 1001}).status_code == 200
    assert Statement.objects.count() == 0


def test_it_lets_facilitators_accept_reject_and_seed(world: World) -> None:
    author = world.join("Heron")
    write = f"/d/{world.dialogue.pk}/write"
    author.post(write, {"text": "First idea"})
    author.post(write, {"text": "Second idea"})
    first, second = Statement.objects.order_by("id")
    facilitator = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/moderation"
    queue = text_of(facilitator.get(url).content)
    assert "First idea" in queue and "Second idea" in queue
    assert "Heron" not in queue
    ok = facilitator.post(url, {"action": "moderate", "statement": first.pk, "state": "accepted"})
    assert ok.status_code == 302
    facilitator.post(url, {"action": "moderate", "statement": second.pk, "state": "rejected"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.moderation, second.moderation) == (Moderation.ACCEPTED, Moderation.REJECTED)
    assert not first.redacted
    seeded = facilitator.post(url, {"action": "seed", "text": "A facilitator's seed"})
    assert seeded.status_code == 302
    seed = Statement.objects.get(is_seed=True)
    assert seed.moderation == Moderation.ACCEPTED and seed.author_participant is None
    me = text_of(author.get(f"/d/{world.dialogue.pk}/me").content)
    assert "did not accept one of your statements" in me
    # A statement of another dialogue cannot be moderated from this one's page.
    stranger = world.seed("Elsewhere", dialogue=world.other)
    response = facilitator.post(
        url, {"action": "moderate", "statement": stranger.pk, "state": "rejected"}
    )
    assert response.status_code == 404


def test_it_redacts_an_identifying_detail_and_tells_the_author(world: World) -> None:
    author = world.join("Heron")
    author.post(
        f"/d/{world.dialogue.pk}/write",
        {"text": "As the mayor of Lower Ford, I want the dam opened."},
    )
    statement = Statement.objects.get()
    facilitator = signed_in(world.facilitator)
    response = facilitator.post(
        f"/dialogues/{world.dialogue.pk}/moderation",
        {
            "action": "moderate",
            "statement": statement.pk,
            "state": "accepted",
            "redacted_text": "As a local official, I want the dam opened.",
        },
        follow=True,
    )
    assert "Its author is told" in text_of(response.content)
    statement.refresh_from_db()
    assert statement.redacted
    assert _text(statement) == "As a local official, I want the dam opened."
    assert Notice.objects.filter(participant=participant_of(author)).count() == 1
    me = text_of(author.get(f"/d/{world.dialogue.pk}/me").content)
    assert "Your statement was edited" in me
    assert "It now reads: As a local official, I want the dam opened." in me
    assert "edited by a facilitator to protect you" in me
    assert "Lower Ford" not in me
    # An unchanged text in the edit box is not a redaction.
    other = world.join("Kestrel")
    other.post(f"/d/{world.dialogue.pk}/write", {"text": "Plain idea"})
    plain = Statement.objects.get(redacted=False)
    facilitator.post(
        f"/dialogues/{world.dialogue.pk}/moderation",
        {
            "action": "moderate",
            "statement": plain.pk,
            "state": "accepted",
            "redacted_text": "Plain idea ",
        },
    )
    plain.refresh_from_db()
    assert not plain.redacted
    assert not Notice.objects.filter(participant=participant_of(other)).exists()


def test_it_lets_a_participant_withdraw_their_own_statement(world: World) -> None:
    author = world.join("Heron")
    author.post(f"/d/{world.dialogue.pk}/write", {"text": "Second thoughts"})
    statement = Statement.objects.get()
    intruder = world.join("Kestrel")
    url = f"/d/{world.dialogue.pk}/me/statements/{statement.pk}/delete"
    response = intruder.post(url, follow=True)
    assert "You have no such statement." in text_of(response.content)
    statement.refresh_from_db()
    assert statement.deleted_at is None
    author.post(url)
    statement.refresh_from_db()
    assert statement.deleted_at is not None
    assert "Second thoughts" not in text_of(author.get(f"/d/{world.dialogue.pk}/me").content)
    assert author.get(url).status_code == 405


def test_it_lets_a_participant_withdraw_and_ends_their_session(world: World) -> None:
    statement = world.seed("Meet monthly.")
    client = world.join("Heron")
    participant = participant_of(client)
    client.post(f"/d/{world.dialogue.pk}/vote", {"statement": statement.pk, "vote": "agree"})
    assert "Withdraw" in text_of(client.get(f"/d/{world.dialogue.pk}/withdraw").content)
    response = client.post(f"/d/{world.dialogue.pk}/withdraw", {"remove_contributions": "on"})
    assert response.status_code == 200
    assert "You have left the dialogue" in text_of(response.content)
    assert PARTICIPANT_SESSION_KEY not in client.session
    participant.refresh_from_db()
    assert participant.withdrawn_at is not None
    assert not Vote.objects.filter(participant=participant).exists()
    after = client.get(f"/d/{world.dialogue.pk}/vote")
    assert after.status_code == 302 and after["Location"] == "/recover"


def test_it_keeps_a_withdrawn_session_out_even_if_the_cookie_survives(world: World) -> None:
    client = world.join("Heron")
    participant = participant_of(client)
    Participant.objects.filter(pk=participant.pk).update(token_digest=None)
    actions.withdraw(participant)
    response = client.get(f"/d/{world.dialogue.pk}/me")
    assert response.status_code == 302
    assert Client().get(f"/d/{world.dialogue.pk}/me")["Location"] == "/recover"
