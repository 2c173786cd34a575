"""The facilitator's pages: edit the narrative, preview, issue to liaisons, withdraw, trace."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from transfer_support import COMMON, Scenario

from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions
from tracktwo.transfer.models import Brief, BriefRecipient, BriefState

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_it_edits_previews_and_issues_a_brief(scenario: Scenario) -> None:
    client = _client(scenario.facilitator)
    editor = f"/briefs/dialogues/{scenario.dialogue.pk}/"
    assert client.get(editor).status_code == 200
    saved = client.post(
        editor,
        {
            "title": "Water-sharing options after the first workshop",
            "context": "Both delegations met in a neutral venue.",
            "proposals": "A joint monitoring body for the river.",
            "next_steps": "A technical session on data exchange.",
            "method_note": "Sixteen invited participants.",
        },
    )
    assert saved.status_code == 302
    preview = client.get(f"{editor}preview")
    html = preview.content.decode()
    assert preview.status_code == 200 and "A joint monitoring body for the river." in html
    assert "Water-sharing options after the first workshop" in html
    assert "style-src 'self' 'sha256-" in preview["Content-Security-Policy"]
    pdf = client.get(f"{editor}preview?format=pdf")
    assert pdf.content.startswith(b"%PDF") and "attachment" in pdf["Content-Disposition"]
    brief = Brief.objects.get(dialogue=scenario.dialogue, state=BriefState.DRAFT)
    form = client.get(f"/briefs/{brief.pk}/issue").content.decode()
    first, second = scenario.liaisons
    assert first.get_username() in form and scenario.observer.get_username() not in form
    issued = client.post(
        f"/briefs/{brief.pk}/issue",
        {
            f"send_{first.pk}": "on",
            f"label_{first.pk}": "Desk officer, Upstream ministry",
            f"send_{second.pk}": "on",
            "link_days": "7",
        },
    )
    page = issued.content.decode()
    assert issued.status_code == 200
    links = re.findall(r"http://testserver/briefs/open/(t2b_[A-Za-z0-9_-]+)", page)
    assert len(links) == 2
    copies = list(BriefRecipient.objects.filter(brief=brief).order_by("position"))
    assert [c.user_id for c in copies] == [first.pk, second.pk]
    assert all(c.code in page for c in copies)
    detail = client.get(f"/briefs/{brief.pk}/").content.decode()
    assert "Desk officer, Upstream ministry" in detail
    file_copy = client.get(f"/briefs/{brief.pk}/file-copy?format=md").content.decode()
    assert "Conveners' file copy - not for distribution" in file_copy and COMMON in file_copy
    revoked = client.post(f"/briefs/{brief.pk}/copies/{copies[1].pk}/revoke")
    assert revoked.status_code == 302
    copies[1].refresh_from_db()
    assert copies[1].revoked_at is not None
    liaison = _client(second)
    liaison.get(f"/briefs/open/{links[1]}")
    assert liaison.get("/briefs/open").status_code == 403
    assert client.get(f"/briefs/{brief.pk}/issue").status_code == 302  # already issued
    audited = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"brief.issued", "brief.revoked", "brief.exported"} <= audited


def test_it_keeps_observers_and_participants_out_of_the_editor(scenario: Scenario) -> None:
    editor = f"/briefs/dialogues/{scenario.dialogue.pk}/"
    assert _client(scenario.observer).get(editor).status_code == 403
    assert _client(scenario.observer).get(f"{editor}preview?format=md").status_code == 403
    assert _client(scenario.liaisons[0]).get(editor).status_code == 404
    assert Client().get(editor).status_code == 302  # to sign-in
    assert not Brief.objects.exists()


def test_it_traces_a_leak_on_the_conveners_page(scenario: Scenario) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    copies = actions.issue(brief, scenario.facilitator, [(u, "") for u in scenario.liaisons])
    leaked = copies[0]
    actions.open_link(leaked.link_token, leaked.recipient.user)
    text = actions.render_copy(leaked.recipient, "md", leaked.recipient.user).body.decode()
    url = f"/initiatives/{scenario.initiative.pk}/trace"
    response = _client(scenario.convener).post(url, {"text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"copy 1 of brief {brief.pk}" in page and leaked.recipient.code in page
    assert leaked.recipient.user.get_username() in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = actions.render_copy(leaked.recipient, "pdf", leaked.recipient.user).body
    upload = SimpleUploadedFile("leak.pdf", pdf, content_type="application/pdf")
    page = _client(scenario.convener).post(url, {"file": upload}).content.decode()
    assert "pdf-layout" in page and leaked.recipient.code in page
    assert _client(scenario.facilitator).post(url, {"text": text}).status_code == 403
    assert AuditEvent.objects.filter(action="brief.traced").count() == 2
