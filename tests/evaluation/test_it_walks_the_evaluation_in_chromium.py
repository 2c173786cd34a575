"""Real Chromium: a participant answers the before, after and a-month-later waves on a phone
(plain forms, no JavaScript), ten others answer too; the convener sees the change figure and
downloads the evaluation report as a PDF, which names no participant.

With ``TRACKTWO_SCREENSHOTS`` set, the pages are saved for the user guide.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from factories import assess_tool
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tracktwo.accounts import actions as accounts
from tracktwo.dialogues import actions
from tracktwo.evaluation import actions as evaluation
from tracktwo.initiatives import actions as initiative_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase 42"
PHONE = {"width": 390, "height": 844}


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("TRACKTWO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _answer(page: Page, origin: str, dialogue: int, wave: str, value: str) -> None:
    page.goto(f"{origin}/d/{dialogue}/survey")
    expect(page.locator("a.quick-exit")).to_be_visible()
    page.goto(f"{origin}/d/{dialogue}/survey/{wave}")
    page.locator('input[name="thermometer"]').first.fill(value)
    if wave == "post":
        _shot(page, "evaluation-answer")
    page.get_by_role("button", name="Save my answers").click()


def test_it_walks_pre_post_follow_up_and_the_report(browser: Browser, live_server: Any) -> None:
    origin = live_server.url
    convener = accounts.create_account("convener", password=PASSWORD, convener=True)
    initiative = initiative_actions.create_initiative(
        convener, "Valley", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative, "Spring", "living-room", "chatham-house", convener
    )
    up, down = list(initiative.parties.order_by("position"))
    evaluation.compose_survey(convener, dialogue, items=["thermometer"])
    assess_tool(dialogue, convener, "evaluation")  # the do-no-harm check before surveys
    evaluation.set_waves(convener, dialogue, open_waves=["pre"])

    phone = browser.new_context(viewport=PHONE, java_script_enabled=False).new_page()  # type: ignore[arg-type]
    phone.goto(f"{origin}/join/{actions.create_invitation(dialogue, party=up, by=convener)[1]}")
    phone.get_by_label("Your handle").fill("CANARY-Amal")
    phone.get_by_label("I have read the ground rules").check()
    phone.get_by_role("button", name="Join the dialogue").click()
    others = []
    for side, n in ((up, 5), (down, 6)):
        for i in range(n):
            raw = actions.create_invitation(dialogue, party=side, by=convener)[1]
            others.append(actions.join(raw, f"CANARY-{side.pk}-{i}", True).participant)
    _answer(phone, origin, dialogue.pk, "pre", "30")
    for i, person in enumerate(others):
        evaluation.answer(person, "pre", {"thermometer": 30 + i % 4})
    evaluation.set_waves(convener, dialogue, open_waves=["post"], follow_up_on=timezone.localdate())
    _answer(phone, origin, dialogue.pk, "post", "60")
    _answer(phone, origin, dialogue.pk, "follow-up", "55")
    for i, person in enumerate(others):
        evaluation.answer(person, "post", {"thermometer": 45 + i % 5})
        evaluation.answer(person, "follow-up", {"thermometer": 40 + i % 3})

    desk = browser.new_context(viewport=PHONE, accept_downloads=True).new_page()  # type: ignore[arg-type]
    desk.goto(f"{origin}/accounts/sign-in")
    desk.get_by_label("Name", exact=True).fill("convener")
    desk.get_by_label("Password").fill(PASSWORD)
    desk.get_by_role("button", name="Continue").click()
    desk.goto(f"{origin}/dialogues/{dialogue.pk}/evaluation/")
    expect(desk.locator("figure svg circle").first).to_be_attached()
    expect(desk.locator("table.results").first).to_contain_text("Upstream")
    expect(desk.locator("body")).not_to_contain_text("CANARY")
    _shot(desk, "evaluation-change")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="Evaluation report (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Evaluation report" in text and "Upstream" in text and "CANARY" not in text
