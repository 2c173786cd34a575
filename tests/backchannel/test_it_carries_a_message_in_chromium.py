"""Real Chromium at phone width, no shortcuts past the forms: a member of Upstream writes to
Downstream, the facilitator proposes a rewording, Upstream accepts, Downstream reads
"Upstream says:" and replies, the facilitator carries the reply, Upstream reads it.

With ``TRACKTWO_SCREENSHOTS`` set, the pages are saved for the user guide.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tracktwo.accounts import actions as accounts
from tracktwo.dialogues import actions
from tracktwo.initiatives import actions as initiative_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase 42"
PHONE = {"width": 390, "height": 844}


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("TRACKTWO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _phone(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport=PHONE, java_script_enabled=False)  # type: ignore[arg-type]


def _join(browser: Browser, origin: str, token: str, handle: str) -> Page:
    page = _phone(browser).new_page()
    page.goto(f"{origin}/join/{token}")
    page.get_by_label("Your handle").fill(handle)
    page.get_by_label("I have read the ground rules").check()
    page.get_by_role("button", name="Join the dialogue").click()
    expect(page.get_by_role("heading", name="Your recovery code")).to_be_visible()
    return page


def test_it_carries_a_reworded_message_between_two_phones(
    browser: Browser, live_server: Any
) -> None:
    origin = live_server.url
    convener = accounts.create_account("facilitator", password=PASSWORD, convener=True)
    initiative = initiative_actions.create_initiative(
        convener, "Valley", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative, "Spring", "living-room", "chatham-house", convener
    )
    up, down = list(initiative.parties.order_by("position"))
    channel = f"{origin}/initiatives/{initiative.pk}/back-channel"
    amal = _join(
        browser, origin, actions.create_invitation(dialogue, party=up, by=convener)[1], "Amal"
    )
    dov = _join(
        browser, origin, actions.create_invitation(dialogue, party=down, by=convener)[1], "Dov"
    )

    amal.goto(channel)
    expect(amal.locator("a.quick-exit")).to_be_visible()
    amal.get_by_label("To", exact=True).select_option(label="Downstream")
    amal.get_by_label("Message", exact=True).fill("We want to talk about the dam")
    amal.get_by_role("button", name="Send to the facilitators").click()
    expect(amal.locator(".state").first).to_have_text(re.compile("Awaiting the facilitator"))
    _shot(amal, "backchannel-write")

    desk = browser.new_context(viewport=PHONE).new_page()  # type: ignore[arg-type]
    desk.goto(f"{origin}/accounts/sign-in")
    desk.get_by_label("Name", exact=True).fill("facilitator")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Continue").click()
    desk.goto(channel)
    desk.get_by_label("Propose a rewording").fill(
        "Upstream is ready to discuss the dam's releases."
    )
    desk.get_by_role("button", name="Propose it to the sender").click()
    expect(desk.locator(".state").first).to_have_text(re.compile("Rewording proposed"))
    _shot(desk, "backchannel-desk")

    amal.goto(channel)
    expect(amal.locator("blockquote")).to_have_text(
        "Upstream is ready to discuss the dam's releases."
    )
    _shot(amal, "backchannel-rewording")
    amal.get_by_role("button", name="Accept the rewording").click()
    expect(amal.locator(".state").first).to_have_text(re.compile("Carried"))

    dov.goto(channel)
    received = dov.locator("#received-heading + ul li").first
    expect(received).to_contain_text("Upstream says:")
    expect(received).to_contain_text("Upstream is ready to discuss the dam's releases.")
    expect(received).not_to_contain_text("Amal")
    _shot(dov, "backchannel-received")
    dov.get_by_label("Your side's reply").fill("Downstream will listen")
    dov.get_by_role("button", name="Send the reply to the facilitators").click()

    desk.goto(channel)
    desk.get_by_role("button", name="Carry as written").click()
    expect(desk.get_by_text("Nothing waits for you.")).to_be_visible()

    amal.goto(channel)
    reply = amal.locator("#received-heading + ul li").first
    expect(reply).to_contain_text("Downstream says:")
    expect(reply).to_contain_text("Downstream will listen")
    expect(reply).not_to_contain_text("Dov")
    expect(amal.locator("#sent-heading + ul .state").first).to_have_text(re.compile("Answered"))
