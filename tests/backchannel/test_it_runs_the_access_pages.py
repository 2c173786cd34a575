"""The pages without JavaScript for who else is let in: a member includes the facilitators in
the caucus and they write there; the convener sets the expiry, opens an exchange and gives a
liaison Upstream's voice; the liaison writes on the exchange's page and accepts a rewording."""

from __future__ import annotations

from backchannel_support import Scene, page_client
from django.test import Client

from tracktwo.backchannel.models import Exchange
from tracktwo.backchannel.policy import expiry_days_of
from tracktwo.initiatives.models import BackChannelMessage


def _page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def _post(client: Client, url: str, data: dict[str, str]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, (url, response.status_code)


def test_it_opens_a_caucus_to_the_facilitators_through_forms(scene: Scene) -> None:
    caucus = f"/initiatives/{scene.initiative.pk}/back-channel/caucus"
    a, facilitator = page_client(scene, "a"), page_client(scene, "facilitator")
    _post(a, caucus, {"text": "Our red lines?"})
    side = f"{caucus}?side={scene.parties[0].pk}"
    _page(facilitator, side, 404)
    _post(a, caucus, {"action": "facilitators", "included": "1"})
    assert "Leave the facilitators out" in _page(a, caucus)
    html = _page(facilitator, side)
    assert "Our red lines?" in html and "Pin this position" not in html
    _post(facilitator, caucus, {"text": "Shall we meet?", "side": str(scene.parties[0].pk)})
    assert "Shall we meet?" in _page(a, caucus)
    desk = _page(facilitator, f"/initiatives/{scene.initiative.pk}/back-channel")
    assert f"?side={scene.parties[0].pk}" in desk
    _page(facilitator, f"{caucus}?side={scene.parties[1].pk}", 404)


def test_it_runs_an_exchange_through_forms(scene: Scene) -> None:
    channel = f"/initiatives/{scene.initiative.pk}/back-channel"
    convener, liaison = page_client(scene, "convener"), page_client(scene, "liaison")
    _post(convener, channel, {"action": "expiry", "days": "45"})
    assert expiry_days_of(scene.initiative) == 45
    _post(convener, channel, {"action": "exchange", "name": "Ministries, May"})
    exchange = Exchange.objects.get()
    _page(liaison, channel, 403)  # no voice yet
    _page(liaison, f"/back-channel/exchanges/{exchange.pk}", 403)
    voice = {"action": "voice", "exchange": str(exchange.pk)}
    voice |= {"user": str(scene.users["liaison"].pk), "party": str(scene.parties[0].pk)}
    _post(convener, channel, voice)
    assert "Ministries, May" in _page(liaison, channel)
    page = f"/back-channel/exchanges/{exchange.pk}"
    html = _page(liaison, page)
    assert "Upstream" in html and 'href="/exit"' in html
    _post(liaison, page, {"to_party": str(scene.parties[1].pk), "text": "Gauges?"})
    message = BackChannelMessage.objects.get()
    facilitator = page_client(scene, "facilitator")
    assert "Gauges?" in _page(facilitator, channel)
    _post(facilitator, f"/back-channel/messages/{message.pk}/propose", {"text": "Gauges, perhaps?"})
    response = liaison.post(f"/back-channel/messages/{message.pk}/accept", {})
    assert response.status_code == 302 and response["Location"] == page
    b = _page(page_client(scene, "b"), channel)
    assert "Gauges, perhaps?" in b and "CANARY" not in b and "Ministries, May" in b
    _page(page_client(scene, "observer"), page, 403)
