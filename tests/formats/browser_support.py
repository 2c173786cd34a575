"""What the formats' browser tests share: a facilitator with a password, phones that join
through invitation links, screenshots for the user guide."""

from __future__ import annotations

import os
import re
from pathlib import Path

from factories import PASSWORD
from playwright.sync_api import Browser, Page, expect

from tracktwo.accounts import actions as account_actions
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Party

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def shot(page: Page, name: str) -> None:
    """With ``TRACKTWO_SCREENSHOTS=docs/images`` save the page for the user guide."""
    folder = os.environ.get("TRACKTWO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def setting(title: str, format: str) -> tuple[Dialogue, list[Party], User]:
    """A convener's initiative and dialogue, and a facilitator of it who signs in."""
    convener = account_actions.create_account("convener", password=PASSWORD, convener=True)
    initiative = initiative_actions.create_initiative(convener, title, ["Upstream", "Downstream"])
    dialogue = actions.create_dialogue(initiative, title, format, "chatham-house", convener)
    facilitator = account_actions.create_account("facilitator", password=PASSWORD)
    initiative_actions.add_member(initiative, facilitator, "facilitator", convener)
    return dialogue, list(initiative.parties.order_by("position")), convener


def sign_in(browser: Browser, origin: str) -> Page:
    page = browser.new_context(viewport=LAPTOP).new_page()  # type: ignore[arg-type]
    page.goto(origin + "/accounts/sign-in")
    page.get_by_label("Name", exact=True).fill("facilitator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/$"))  # sign-in lands on the home page
    return page


def phone(
    browser: Browser, origin: str, dialogue: Dialogue, party: Party, by: User, handle: str
) -> Page:
    """A participant who joins on a phone through an invitation link."""
    _, token = actions.create_invitation(dialogue, party=party, by=by)
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()  # type: ignore[arg-type]
    page.goto(f"{origin}/join/{token}")
    page.get_by_label("Your handle").fill(handle)
    page.get_by_label("I have read the ground rules").check()
    page.get_by_role("button", name="Join the dialogue").click()
    expect(page.get_by_role("heading", name="Your recovery code")).to_be_visible()
    return page
