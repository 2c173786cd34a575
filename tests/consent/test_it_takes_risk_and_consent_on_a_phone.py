"""Real Chromium at phone width, in English and in Arabic (switched with the page's own
language form; right to left in Arabic): a participant joins, fills their risk profile,
is asked for consent again because their level raised the dialogue's protections, gives
it, withdraws it, and downloads everything held about them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tracktwo.accounts import actions as accounts
from tracktwo.consent.models import ConsentRecord
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Participant
from tracktwo.initiatives import actions as initiative_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _submit(page: Page, form: str) -> None:
    page.locator(f"{form} button[type=submit]").click()


def _walk(page: Page, origin: str, token: str, language: str, handle: str) -> dict[str, Any]:
    page.goto(f"{origin}/join/{token}")
    page.locator("#language-select").select_option(language)
    _submit(page, "form.language")
    direction = "rtl" if language == "ar" else "ltr"
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("input[name=handle]").fill(handle)
    page.locator("input[name=accept]").check()
    _submit(page, "main form.stack")
    expect(page.locator("main h1")).to_be_visible()  # the recovery code's page
    return {"direction": direction}


def _risk_and_consent(page: Page, origin: str, dialogue: int, direction: str) -> Path:
    page.goto(f"{origin}/d/{dialogue}/me/risk")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    page.locator("input[name=level][value=high]").check()
    page.locator("input[name=adversaries][value=own_government]").check()
    page.locator("input[name=channels][value=device_seizure]").check()
    page.locator("input[name=device][value=inspected]").check()
    page.locator("input[name=known_at_home][value=no]").check()
    _submit(page, "#risk-form")
    expect(page.locator("input[name=level][value=high]")).to_be_checked()
    page.goto(f"{origin}/d/{dialogue}/vote")  # the terms changed: consent first
    assert page.url.endswith(f"/d/{dialogue}/me/consent")
    expect(page.locator("html")).to_have_attribute("dir", direction)
    expect(page.locator("ol.consent-terms li")).to_have_count(6)
    page.locator("#consent-form input[name=accept]").check()
    _submit(page, "#consent-form")
    page.goto(f"{origin}/d/{dialogue}/vote")
    assert page.url.endswith(f"/d/{dialogue}/vote")
    page.goto(f"{origin}/d/{dialogue}/me/consent")
    page.locator("#withdraw-consent").click()
    assert page.url.endswith(f"/d/{dialogue}/me/delete")
    with page.expect_download() as download:
        page.locator("#download-data").click()
    return Path(download.value.path())


def test_it_takes_risk_and_consent_in_english_and_arabic(
    browser: Browser, live_server: Any
) -> None:
    origin = live_server.url
    convener = accounts.create_account("convener", password=None, convener=True)
    initiative = initiative_actions.create_initiative(convener, "Valley", ["Upstream", "Down"])
    for language, handle in (("en", "Amal"), ("ar", "سلمى")):
        dialogue = actions.create_dialogue(
            initiative, f"Spring {language}", "living-room", "chatham-house", convener
        )
        side = initiative.parties.order_by("position")[0]
        _, token = actions.create_invitation(dialogue, party=side, by=convener)
        context = browser.new_context(
            viewport=PHONE,  # type: ignore[arg-type]
            is_mobile=True,
            has_touch=True,
            accept_downloads=True,
        )
        page = context.new_page()
        walked = _walk(page, origin, token, language, handle)
        saved = _risk_and_consent(page, origin, dialogue.pk, walked["direction"])
        held = json.loads(saved.read_text(encoding="utf-8"))
        assert held["handle"] == handle
        assert held["risk_profile"]["level"] == "high"
        assert held["risk_profile"]["device"] == "inspected"
        assert [c["version"] for c in held["consent"]] == [2]
        assert held["consent"][0]["withdrawn_at"] is not None
        participant = Participant.objects.get(dialogue=dialogue)
        assert participant.consent_version_accepted == 0
        assert ConsentRecord.objects.get(participant=participant).language == language
        context.close()
