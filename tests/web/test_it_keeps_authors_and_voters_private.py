"""Canary test: every dialogue page, seen by every role, names nobody.

Participants join under canary handles, write canary statements and vote. Then every
page of ``tracktwo.dialogues.urls`` (a new page is picked up by itself) is rendered for
the convener, the facilitator, the observer and each participant. No handle may appear
anywhere except a participant's own handle on their own pages; no participant's opaque
id appears at all; and no participant's page shows another's statements as theirs.
"""

from __future__ import annotations

import secrets

import pytest
from django.test import Client
from django.urls import URLPattern
from web_support import World, participant_of, signed_in

from tracktwo.dialogues import actions
from tracktwo.dialogues import urls as dialogue_urls
from tracktwo.dialogues.models import Participant, Statement
from tracktwo.initiatives import urls as initiative_urls
from tracktwo.insight import service as live
from tracktwo.insight import urls as insight_urls

pytestmark = pytest.mark.django_db

POST_ONLY = {
    "critique",
    "start-session",
    "phase",
    "share",
    "delete-statement",
    "revoke-invitation",
    "read-notices",
}
PAGES = [*dialogue_urls.urlpatterns, *initiative_urls.urlpatterns, *insight_urls.urlpatterns]


def _canary(kind: str) -> str:
    return f"CANARY{kind}{secrets.token_hex(4).upper()}"


def _urls(world: World, statement: Statement) -> dict[str, str]:
    d = world.dialogue.pk
    found: dict[str, str] = {}
    for pattern in PAGES:
        assert isinstance(pattern, URLPattern)
        name = str(pattern.name)
        if name in POST_ONLY or name == "join-link":
            continue
        route = str(pattern.pattern)
        route = route.replace("<int:dialogue_id>", str(d))
        route = route.replace("<int:statement_id>", str(statement.pk))
        route = route.replace("<int:initiative_id>", str(world.initiative.pk))
        route = route.replace("<int:number>", "1")  # the meeting started below
        assert "<" not in route, f"page {name} has a parameter the canary test does not fill"
        found[name] = "/" + route
    return found


def _page(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code in (200, 400, 403), (url, response.status_code)
    return response.content.decode()


def test_it_names_nobody_on_any_page(world: World) -> None:
    live.forget()
    seeds = [world.seed(f"Seed statement {n}") for n in range(3)]
    browsers: dict[str, Client] = {}
    own_texts: dict[str, list[str]] = {}
    for n in range(10):
        handle = _canary("HANDLE")
        client = world.join(handle, party=n % 2)
        browsers[handle] = client
        text = _canary("TEXT")
        client.post(f"/d/{world.dialogue.pk}/write", {"text": text})
        own_texts[handle] = [text]
    for statement in Statement.objects.filter(dialogue=world.dialogue, is_seed=False)[:6]:
        actions.moderate_statement(statement, "accepted", world.facilitator)
    for handle, client in browsers.items():
        participant = participant_of(client)
        for i, statement in enumerate(Statement.objects.filter(moderation="accepted")):
            actions.cast_vote(participant, statement.pk, (-1, 0, 1)[(i + len(handle)) % 3])
    actions.share_results(world.dialogue, True, world.facilitator)
    actions.start_session(world.dialogue, world.facilitator)  # meeting 1 (after the votes)
    handles = list(browsers)
    public_ids = list(Participant.objects.values_list("public_id", flat=True))
    urls = _urls(world, seeds[0])

    visited: set[str] = set()
    for user in (world.convener, world.facilitator, world.observer):
        client = signed_in(user)
        for name, url in urls.items():
            page = _page(client, url)
            visited.add(name)
            for handle in handles:
                assert handle not in page, (user.username, url)
            for public_id in public_ids:
                assert public_id not in page, (user.username, url)
        live_fragment = _page(client, urls["dashboard-live"])
        assert "CANARYTEXT" in live_fragment or "Seed statement" in live_fragment

    for handle, client in browsers.items():
        others = [h for h in handles if h != handle]
        others_texts = [t for h in others for t in own_texts[h]]
        for name, url in urls.items():
            page = _page(client, url)
            visited.add(name)
            for other in others:
                assert other not in page, (handle, url)
            for public_id in public_ids:
                assert public_id not in page, (handle, url)
            if name == "me":
                assert handle in page
                assert own_texts[handle][0] in page
                for text in others_texts:
                    assert text not in page, (handle, url)

    anonymous = Client()
    for name, url in urls.items():
        page = _page(anonymous, url)
        visited.add(name)
        assert not any(handle in page for handle in handles), url
    assert visited == set(urls)


def test_it_keeps_handles_out_of_the_recovery_code_page_of_others(world: World) -> None:
    first = world.join(_canary("HANDLE"))
    second_handle = _canary("HANDLE")
    world.join(second_handle)
    for url in ("/recover", f"/d/{world.dialogue.pk}/me", f"/d/{world.dialogue.pk}/vote"):
        assert second_handle not in first.get(url).content.decode()
