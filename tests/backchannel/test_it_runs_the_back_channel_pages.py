"""The pages without JavaScript: A writes, the facilitator rewords, A accepts, B reads
"Upstream says:" and replies, the reply is carried, A reads it. Quick exit on every page."""

from __future__ import annotations

import re

from backchannel_support import Scene, page_client
from django.test import Client

from tracktwo.initiatives.models import BackChannelMessage


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'href="/exit"' in html and "data-quick-exit" in html
    return html


def _post(client: Client, url: str, data: dict[str, str]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.status_code


def test_it_runs_the_shuttle_through_forms(scene: Scene) -> None:
    channel = f"/initiatives/{scene.initiative.pk}/back-channel"
    a, b = page_client(scene, "a"), page_client(scene, "b")
    facilitator = page_client(scene, "facilitator")
    _post(a, channel, {"action": "send", "to_party": str(scene.parties[1].pk), "text": "Talk?"})
    message = BackChannelMessage.objects.get()
    assert "Talk?" in _page(facilitator, channel)
    _post(facilitator, f"/back-channel/messages/{message.pk}/propose", {"text": "Shall we talk?"})
    assert "Rewording proposed" in _page(a, channel)
    _post(a, f"/back-channel/messages/{message.pk}/accept", {})
    html = _page(b, channel)
    assert re.search(r'<span dir="auto">Upstream</span> says:', html)
    assert "Shall we talk?" in html and "CANARY" not in html
    _post(b, channel, {"action": "send", "reply_to": str(message.pk), "text": "Yes, on water."})
    reply = BackChannelMessage.objects.exclude(pk=message.pk).get()
    _post(facilitator, f"/back-channel/messages/{reply.pk}/carry", {})
    html = _page(a, channel)
    assert re.search(r'<span dir="auto">Downstream</span> says:', html)
    assert "Yes, on water." in html and "Answered" in html and "CANARY" not in html


def test_it_shows_a_refusal_naming_the_field(scene: Scene) -> None:
    channel = f"/initiatives/{scene.initiative.pk}/back-channel"
    a = page_client(scene, "a")
    response = a.post(
        channel, {"action": "send", "to_party": str(scene.parties[0].pk), "text": "x"}, follow=True
    )
    assert "to_party: a message goes to another side" in response.content.decode()
    assert not BackChannelMessage.objects.exists()


def test_it_keeps_the_pages_to_the_sides_and_facilitators(scene: Scene) -> None:
    channel = f"/initiatives/{scene.initiative.pk}/back-channel"
    for name in ("observer", "liaison", "a_observer"):
        assert page_client(scene, name).get(channel).status_code in (403, 404), name
        assert page_client(scene, name).get(f"{channel}/caucus").status_code in (403, 404), name
    assert Client().get(channel).status_code == 302  # to the recovery page
    caucus = page_client(scene, "a")
    _post(caucus, f"{channel}/caucus", {"text": "Our red lines?"})
    assert "Our red lines?" in _page(caucus, f"{channel}/caucus")
    assert "Our red lines?" not in _page(page_client(scene, "b"), f"{channel}/caucus")
