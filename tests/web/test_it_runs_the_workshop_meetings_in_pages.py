"""Issue 13 in the pages: meetings of a kind and side, the held brainstorm, the agenda
editor, the regime on every page of a meeting, the timed round, off the record refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from web_support import World, participant_of, signed_in, text_of

from tracktwo.dialogues.models import HeldCritique, MeetingNote, Session, Vote

pytestmark = pytest.mark.django_db


def start(world: World, **fields: str) -> Session:
    client = signed_in(world.facilitator)
    response = client.post(f"/dialogues/{world.dialogue.pk}/sessions", {"kind": "agenda", **fields})
    assert response.status_code == 302, response.content.decode()
    return Session.objects.filter(dialogue=world.dialogue).latest("number")


def test_it_keeps_a_pre_briefing_to_its_side(world: World) -> None:
    alice, bob = world.join("Alice", 0), world.join("Bob", 1)
    session = start(world, kind="pre-briefing", side=str(world.parties[0].pk))
    page = alice.get(f"/d/{world.dialogue.pk}/meeting")
    assert "Pre-briefing (one side)" in text_of(page.content)
    saved = alice.post(
        f"/d/{world.dialogue.pk}/meeting",
        {
            "form": "pre-briefing",
            "pre-briefing-kind": "pre-briefing",
            "pre-briefing-text": "CANARY-A worry",
        },
    )
    assert saved.status_code == 302
    assert MeetingNote.objects.get().session_id == session.pk
    assert "CANARY-A worry" in text_of(alice.get(f"/d/{world.dialogue.pk}/meeting").content)
    other_side = text_of(bob.get(f"/d/{world.dialogue.pk}/meeting").content)
    assert "CANARY-A worry" not in other_side and "No meeting has started yet." in other_side
    facilitator = signed_in(world.facilitator).get(f"/dialogues/{world.dialogue.pk}/meetings/1")
    assert "CANARY-A worry" in text_of(facilitator.content)
    assert "Alice" not in text_of(facilitator.content)
    observer = signed_in(world.observer).get(f"/dialogues/{world.dialogue.pk}/meetings/1")
    assert observer.status_code == 200 and "CANARY-A worry" not in text_of(observer.content)
    vote_page = text_of(alice.get(f"/d/{world.dialogue.pk}/vote").content)
    assert "Votes are not taken in this meeting." in vote_page


def test_it_holds_disagreement_in_the_brainstorm_page(world: World) -> None:
    alice = world.join("Alice", 0)
    statement = world.seed("Share the aquifer data.")
    start(world, confidentiality="off-the-record", officials_private_capacity="on")
    raw = alice.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    page = text_of(raw)
    assert "I could live with this" in page and 'value="disagree"' not in raw
    assert "Off the record:" in page and "Track 1.5" in page
    refused = alice.post(
        f"/d/{world.dialogue.pk}/vote", {"statement": statement.pk, "vote": "disagree"}, follow=True
    )
    assert "disagreement is held in the phase “Needs and fears”" in text_of(refused.content)
    assert not Vote.objects.exists()
    kept = alice.post(
        f"/d/{world.dialogue.pk}/critique",
        {"statement": statement.pk, "note": "Who pays?"},
        follow=True,
    )
    assert "kept for the constraints phase" in text_of(kept.content)
    assert HeldCritique.objects.get().participant == participant_of(alice)
    assert "Who pays?" in text_of(alice.get(f"/d/{world.dialogue.pk}/meeting").content)
    for tab in ("me", "write", "meeting"):  # the regime on every page of the meeting
        assert "Off the record:" in text_of(alice.get(f"/d/{world.dialogue.pk}/{tab}").content)
    brief = signed_in(world.facilitator).get(f"/briefs/dialogues/{world.dialogue.pk}/preview")
    assert brief.status_code == 409
    assert "No brief can be made: meeting 1 was held off the record" in text_of(brief.content)


def test_it_edits_the_agenda_in_the_page(world: World) -> None:
    client = signed_in(world.facilitator)
    form = client.get(f"/dialogues/{world.dialogue.pk}/agenda")
    assert form.status_code == 200 and 'value="Joint thinking"' in form.content.decode()
    keys = [
        "needs-and-fears",
        "joint-thinking",
        "constraints",
        "overcoming-constraints",
        "next-steps",
    ]
    data = {"form-TOTAL_FORMS": "6", "form-INITIAL_FORMS": "5"}
    for i, key in enumerate(keys):
        position = i + 1 if i < 2 else i + 2  # the new phase goes third
        data |= {f"form-{i}-key": key, f"form-{i}-position": str(position), f"form-{i}-name": ""}
    data |= {
        "form-1-position": "1",
        "form-0-position": "2",
        "form-1-name": "Brainstorm",
        "form-1-held": "on",
    }
    data |= {"form-5-name": "Site visit", "form-5-position": "3"}
    saved = client.post(f"/dialogues/{world.dialogue.pk}/agenda", data)
    assert saved.status_code == 302, text_of(saved.content)
    world.dialogue.refresh_from_db()
    assert world.dialogue.phases[:3] == ["joint-thinking", "needs-and-fears", "custom-1"]
    overview = text_of(client.get(f"/dialogues/{world.dialogue.pk}/").content)
    assert "Brainstorm" in overview and "Site visit" in overview


def test_it_shows_the_time_left_and_closes_the_round(world: World) -> None:
    alice = world.join("Alice", 0)
    statement = world.seed("Timed.")
    session = start(world)
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/meetings/{session.number}"
    assert client.post(url, {"action": "round", "minutes": "20"}).status_code == 302
    page = alice.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    assert 'data-round-seconds="' in page and "20 minutes" in text_of(page)
    assert "/static/js/round-timer.js" in page
    dashboard = text_of(client.get(f"/dialogues/{world.dialogue.pk}/dashboard").content)
    assert "Time left in this round of voting" in dashboard
    assert "What emerged in each phase" in dashboard
    Session.objects.update(round_ends_at=timezone.now() - timedelta(seconds=1))
    closed = text_of(alice.get(f"/d/{world.dialogue.pk}/vote").content)
    assert "The timed round of voting has ended" in closed
    refused = alice.post(
        f"/d/{world.dialogue.pk}/vote", {"statement": statement.pk, "vote": "agree"}, follow=True
    )
    assert "the timed round of voting ended at" in text_of(refused.content)
    assert not Vote.objects.exists()
    assert signed_in(world.observer).post(url, {"action": "clear-round"}).status_code == 403
