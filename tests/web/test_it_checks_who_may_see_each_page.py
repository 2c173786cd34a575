"""Every dialogue page against every kind of visitor: allowed, sent to sign in, 403 or 404.

Someone who may not know a dialogue exists gets 404 (a secret meeting stays secret);
someone who may look but not act gets 403; nobody signed in is sent to sign in (accounts)
or to the recovery page (participants).
"""

from __future__ import annotations

import pytest
from django.test import Client
from web_support import World, signed_in

pytestmark = pytest.mark.django_db

PARTICIPANT_PAGES = ("/", "/vote", "/write", "/me", "/rules", "/withdraw")
WATCHING_PAGES = ("/", "/dashboard", "/dashboard/live")
RUNNING_PAGES = ("/invitations", "/moderation", "/ground-rules")
RUNNING_POSTS = ("/sessions", "/phase", "/share")


def _visitors(world: World) -> dict[str, Client]:
    return {
        "anonymous": Client(),
        "outsider": signed_in(world.outsider),
        "liaison": signed_in(world.liaison),
        "observer": signed_in(world.observer),
        "facilitator": signed_in(world.facilitator),
        "convener": signed_in(world.convener),
        "participant": world.join("Heron"),
        "participant elsewhere": world.join("Wren", dialogue=world.other),
    }


def test_it_guards_the_participant_pages(world: World) -> None:
    visitors = _visitors(world)
    base = f"/d/{world.dialogue.pk}"
    for name, client in visitors.items():
        for page in PARTICIPANT_PAGES:
            response = client.get(base + page)
            if name == "participant":
                expected = 302 if page == "/" else 200
                assert response.status_code == expected, (name, page)
            elif name == "participant elsewhere":
                assert response.status_code == 404, (name, page)
            else:  # accounts are not participants: to the recovery page
                assert response.status_code == 302, (name, page)
                assert response["Location"] == "/recover", (name, page)


def test_it_guards_the_facilitator_pages(world: World) -> None:
    visitors = _visitors(world)
    base = f"/dialogues/{world.dialogue.pk}"
    for name, client in visitors.items():
        for page in WATCHING_PAGES + RUNNING_PAGES:
            status = client.get(base + page).status_code
            if name in ("anonymous", "participant", "participant elsewhere"):
                expected = 302
            elif name in ("outsider", "liaison"):
                expected = 404
            elif name == "observer":
                expected = 200 if page in WATCHING_PAGES else 403
            else:
                expected = 200
            assert status == expected, (name, page, status)


def test_it_guards_the_facilitator_actions(world: World) -> None:
    visitors = _visitors(world)
    base = f"/dialogues/{world.dialogue.pk}"
    data = {"action": "advance", "shared": "1"}
    for name, client in visitors.items():
        for action in RUNNING_POSTS:
            status = client.post(base + action, data).status_code
            if name in ("anonymous", "participant", "participant elsewhere"):
                expected = 302
            elif name in ("outsider", "liaison"):
                expected = 404
            elif name == "observer":
                expected = 403
            else:
                expected = 302  # done, back to the overview
            assert status == expected, (name, action, status)
        for page in ("/moderation", "/invitations"):
            status = client.post(base + page, {"action": "seed", "text": "x"}).status_code
            if name in ("facilitator", "convener"):
                assert status in (201, 200, 302), (name, page, status)
            else:
                assert status in (302, 403, 404), (name, page, status)
    world.dialogue.refresh_from_db()
    assert world.dialogue.results_shared  # only the facilitator's and convener's posts did it


def test_it_keeps_a_dialogue_facilitator_out_of_the_initiatives_other_dialogues(
    world: World,
) -> None:
    client = signed_in(world.facilitator)
    assert client.get(f"/dialogues/{world.other.pk}/").status_code == 404
    assert client.get(f"/dialogues/{world.other.pk}/dashboard").status_code == 404
    listing = client.get("/dialogues/").content.decode()
    assert "Valley workshop" in listing and "Second meeting" not in listing


def test_it_lists_nothing_for_a_liaison_or_an_outsider(world: World) -> None:
    for user in (world.liaison, world.outsider):
        page = signed_in(user).get("/dialogues/").content.decode()
        assert "Valley workshop" not in page and "Water and the valley" not in page
    assert Client().get("/dialogues/").status_code == 302
    assert Client().get("/dialogues/new").status_code == 302


def test_it_answers_404_for_a_dialogue_that_does_not_exist(world: World) -> None:
    client = signed_in(world.convener)
    assert client.get("/dialogues/999999/").status_code == 404
    participant = world.join("Heron")
    assert participant.get("/d/999999/vote").status_code == 404
