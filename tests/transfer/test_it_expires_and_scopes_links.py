"""Recipients' links: opened signed in by their own recipient, refused once expired or
withdrawn; a liaison never reaches another liaison's copy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from transfer_support import COMMON, Scenario

from tracktwo.practice.errors import NotAllowed, NotFound
from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions
from tracktwo.transfer.actions import IssuedCopy
from tracktwo.transfer.models import BriefRecipient

pytestmark = pytest.mark.django_db


def _issue(scenario: Scenario, **kwargs: int) -> list[IssuedCopy]:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    return actions.issue(
        brief, scenario.facilitator, [(u, "") for u in scenario.liaisons], **kwargs
    )


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_it_opens_a_link_for_its_recipient_and_keeps_the_token_out_of_the_url(
    scenario: Scenario,
) -> None:
    first, _ = _issue(scenario)
    client = _client(first.recipient.user)
    response = client.get(f"/briefs/open/{first.link_token}")
    assert response.status_code == 302 and first.link_token not in response["Location"]
    response = client.get(response["Location"])
    assert response.status_code == 302
    copy_url = response["Location"]
    assert copy_url == f"/briefs/copies/{first.recipient.pk}/"
    page = client.get(copy_url)
    assert page.status_code == 200 and first.recipient.code in page.content.decode()
    html = client.get(f"{copy_url}html")
    assert html.status_code == 200 and COMMON in html.content.decode()
    assert "'sha256-" in html["Content-Security-Policy"]
    pdf = client.get(f"{copy_url}pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    actions_seen = list(
        AuditEvent.objects.filter(target_type="brief").values_list("action", flat=True)
    )
    assert actions_seen == ["brief.issued", "brief.opened", "brief.downloaded", "brief.downloaded"]


def test_it_takes_an_anonymous_visitor_through_sign_in(scenario: Scenario) -> None:
    first, _ = _issue(scenario)
    client = Client()
    response = client.get(f"/briefs/open/{first.link_token}")
    response = client.get(response["Location"])
    assert response.status_code == 302 and "/accounts/sign-in" in response["Location"]
    assert first.link_token not in response["Location"]
    client.force_login(first.recipient.user)
    response = client.get("/briefs/open")
    assert response["Location"] == f"/briefs/copies/{first.recipient.pk}/"


def test_it_refuses_an_expired_link(scenario: Scenario) -> None:
    first, _ = _issue(scenario, link_days=1)
    BriefRecipient.objects.filter(pk=first.recipient.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(NotAllowed, match="expired"):
        actions.open_link(first.link_token, first.recipient.user)
    client = _client(first.recipient.user)
    client.get(f"/briefs/open/{first.link_token}")
    response = client.get("/briefs/open")
    assert response.status_code == 403 and "expired" in response.content.decode()
    assert not AuditEvent.objects.filter(action="brief.opened").exists()


def test_it_refuses_a_copy_after_its_link_expires(scenario: Scenario) -> None:
    first, _ = _issue(scenario)
    client = _client(first.recipient.user)
    client.get(f"/briefs/open/{first.link_token}")
    client.get("/briefs/open")
    assert client.get(f"/briefs/copies/{first.recipient.pk}/md").status_code == 200
    BriefRecipient.objects.filter(pk=first.recipient.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(f"/briefs/copies/{first.recipient.pk}/md")
    assert response.status_code == 403 and COMMON.encode() not in response.content


def test_it_refuses_a_withdrawn_copy(scenario: Scenario) -> None:
    first, _ = _issue(scenario)
    actions.open_link(first.link_token, first.recipient.user)
    actions.revoke(first.recipient, scenario.convener)
    with pytest.raises(NotAllowed, match="withdrawn"):
        actions.copy_for(first.recipient.pk, first.recipient.user)


def test_it_keeps_each_liaison_to_their_own_copy(scenario: Scenario) -> None:
    first, second = _issue(scenario)
    other = second.recipient.user
    with pytest.raises(NotFound):
        actions.open_link(first.link_token, other)  # someone else's link
    actions.open_link(first.link_token, first.recipient.user)
    with pytest.raises(NotFound):
        actions.copy_for(first.recipient.pk, other)
    client = _client(other)
    for url in (
        f"/briefs/copies/{first.recipient.pk}/",
        f"/briefs/copies/{first.recipient.pk}/pdf",
        f"/briefs/{first.recipient.brief_id}/",
        f"/briefs/{first.recipient.brief_id}/file-copy",
        f"/briefs/dialogues/{scenario.dialogue.pk}/",
        f"/briefs/dialogues/{scenario.dialogue.pk}/preview",
        f"/initiatives/{scenario.initiative.pk}/transfer-log",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert COMMON.encode() not in response.content
    mine = client.get("/briefs/mine").content.decode()
    assert f"/briefs/copies/{first.recipient.pk}/" not in mine
    assert "open it with the link you were sent" in mine  # their own, not yet opened


def test_it_refuses_a_copy_before_its_link_is_opened(scenario: Scenario) -> None:
    first, _ = _issue(scenario)
    with pytest.raises(NotFound):
        actions.copy_for(first.recipient.pk, first.recipient.user)
    assert (
        _client(first.recipient.user).get(f"/briefs/copies/{first.recipient.pk}/").status_code
        == 404
    )


def test_it_refuses_unknown_and_malformed_links(scenario: Scenario) -> None:
    _issue(scenario)
    client = _client(scenario.liaisons[0])
    for token in ("t2b_not-a-real-token", "nonsense", "x" * 300):
        client.get(f"/briefs/open/{token}")
        assert client.get("/briefs/open").status_code == 404
