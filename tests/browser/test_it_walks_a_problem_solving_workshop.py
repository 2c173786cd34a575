"""Issue 13 in real Chromium: a problem-solving workshop walked meeting by meeting by a
facilitator (laptop) and two participants of different sides (phones): pre-briefing per
side, the opening, the held brainstorm with a refused disagree vote and a kept critique, a
timed round, the constraints vote, re-entry; and a Track 1.5 meeting whose brief states it.

With ``TRACKTWO_SCREENSHOTS=docs/images`` the test saves the user guide's pictures.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from factories import PASSWORD
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tracktwo.accounts import actions as account_actions
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, HeldCritique, MeetingNote, Vote
from tracktwo.initiatives import actions as initiative_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
IDEA = "A joint water board with equal seats decides releases in a drought."


def _shot(page: Page, name: str, *, full_page: bool = False) -> None:
    folder = os.environ.get("TRACKTWO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def _setup(live_server: Any, confidentiality: str = "chatham-house") -> tuple[Dialogue, list[str]]:
    user = account_actions.create_account("facilitator", password=PASSWORD, convener=True)
    initiative = initiative_actions.create_initiative(
        user, "Valley talks", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative,
        "Spring workshop",
        "problem-solving-workshop",
        confidentiality,
        user,
        moderation_required=False,
    )
    parties = list(initiative.parties.order_by("position"))
    links = [
        f"{live_server.url}/join/{actions.create_invitation(dialogue, party=p, by=user)[1]}"
        for p in parties
    ]
    return dialogue, links


def _sign_in(context: BrowserContext, live_server: Any, dialogue: Dialogue) -> Page:
    page = context.new_page()
    page.goto(live_server.url + "/accounts/sign-in")
    page.get_by_label("Name", exact=True).fill("facilitator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server.url}/dialogues/{dialogue.pk}/")
    return page


def _join(browser: Browser, link: str, handle: str) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(link)
    page.get_by_label("Your handle").fill(handle)
    page.get_by_label("I have read the ground rules").check()
    page.get_by_role("button", name="Join the dialogue").click()
    page.get_by_role("link", name="Start voting").click()
    return page


def _new_meeting(
    fac: Page, kind: str, side: str = "", *, track_one_and_a_half: bool = False
) -> None:
    fac.get_by_role("link", name="Overview").click()
    fac.get_by_label("Kind of meeting").select_option(label=kind)
    if side:
        fac.get_by_label(re.compile("^Side")).select_option(label=side)
    if track_one_and_a_half:
        fac.get_by_label(re.compile("^Track 1.5")).check()
    fac.locator("form.start-meeting button[type=submit]").click()
    expect(fac.locator(".messages")).to_contain_text("has started")


def _go_to_phase(fac: Page, name: str) -> None:
    fac.get_by_role("link", name="Overview").click()
    fac.get_by_label("Go to phase").select_option(label=name)
    fac.get_by_role("button", name="Go", exact=True).click()
    expect(fac.locator(".agenda .current")).to_contain_text(name)


def test_it_walks_a_workshop_meeting_by_meeting(browser: Browser, live_server: Any) -> None:
    dialogue, (up_link, down_link) = _setup(live_server)
    fac = _sign_in(browser.new_context(viewport=LAPTOP), live_server, dialogue)  # type: ignore[arg-type]
    amal, dov = _join(browser, up_link, "Heron"), _join(browser, down_link, "Kestrel")
    meeting_url = f"{live_server.url}/d/{dialogue.pk}/meeting"

    # Pre-briefing per side: Upstream's note stays with Upstream and the facilitators.
    _new_meeting(fac, "Pre-briefing (one side)", "Upstream")
    amal.goto(meeting_url)
    expect(amal.locator("h1")).to_have_text("Pre-briefing (one side)")
    amal.get_by_label("Note for the pre-briefing").fill("We fear arrest on our return.")
    amal.get_by_role("button", name="Save the note").click()
    expect(amal.locator(".notes")).to_contain_text("We fear arrest")
    dov.goto(meeting_url)
    expect(dov.locator("main")).to_contain_text("No meeting has started yet.")
    assert "We fear arrest" not in dov.content()
    fac.goto(f"{live_server.url}/dialogues/{dialogue.pk}/meetings/1")
    expect(fac.locator(".notes")).to_contain_text("We fear arrest")
    assert "Heron" not in fac.content()
    _new_meeting(fac, "Pre-briefing (one side)", "Downstream")
    dov.goto(meeting_url)
    dov.get_by_label("Note for the pre-briefing").fill("Our farms need the summer flow.")
    dov.get_by_role("button", name="Save the note").click()
    amal.goto(meeting_url)
    assert "summer flow" not in amal.content()

    # The opening: both acknowledge the ground rules.
    _new_meeting(fac, "Opening and ground rules")
    for page in (amal, dov):
        page.goto(meeting_url)
        page.get_by_role("button", name="I acknowledge the ground rules").click()
        expect(page.locator(".done")).to_contain_text("acknowledged")
    fac.goto(f"{live_server.url}/dialogues/{dialogue.pk}/meetings/3")
    expect(fac.locator(".facts")).to_contain_text("2")

    # The agenda: the brainstorm holds disagreement.
    _new_meeting(fac, "Facilitated agenda")
    _go_to_phase(fac, "Joint thinking")
    actions.write_statement(dialogue, IDEA, user=User.objects.get(username="facilitator"))
    amal.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
    expect(amal.get_by_role("button", name="I could live with this")).to_be_visible()
    expect(amal.locator("button.vote.disagree")).to_have_count(0)
    _shot(amal, "workshop-brainstorm-phone", full_page=True)
    amal.locator("button.vote.agree").evaluate("b => b.value = 'disagree'")  # an old page
    amal.locator("button.vote.agree").click()
    expect(amal.locator(".messages")).to_contain_text(
        "disagreement is held in the phase “Joint thinking”"
    )
    assert not Vote.objects.exists()
    dov.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
    dov.get_by_label(re.compile("^Your critique")).fill("Who pays for the board?")
    dov.get_by_role("button", name="Keep my critique for later").click()
    expect(dov.locator(".messages")).to_contain_text("kept for the constraints phase")
    dov.get_by_role("button", name="I could live with this").click()
    assert HeldCritique.objects.count() == 1 and Vote.objects.get().value == 1

    # A timed round in the constraints phase, where the held idea is put to a full vote.
    _go_to_phase(fac, "Constraints")
    fac.goto(f"{live_server.url}/dialogues/{dialogue.pk}/meetings/4")
    fac.get_by_label("Minutes of voting").fill("20")
    fac.get_by_role("button", name="Start the timed round").click()
    _shot(fac, "workshop-meeting", full_page=True)
    amal.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
    expect(amal.locator("[role=timer]")).to_contain_text(re.compile(r"1[89]:[0-5][0-9]|20 minutes"))
    amal.get_by_role("button", name="Disagree", exact=True).click()
    assert list(Vote.objects.order_by("id").values_list("value", "phase_index")) == [
        (1, 1),
        (-1, 2),
    ]
    dov.goto(meeting_url)
    expect(dov.locator("main")).to_contain_text("Who pays for the board?")

    # Re-entry per side.
    _new_meeting(fac, "Re-entry preparation (one side)", "Downstream")
    dov.goto(meeting_url)
    dov.get_by_label("What I will say at home").fill("That the board is worth trying.")
    dov.locator("form.meeting-note").first.get_by_role("button", name="Save the note").click()
    dov.get_by_label("Risks of my return").fill("Being called a traitor.")
    dov.locator("form.meeting-note").nth(1).get_by_role("button", name="Save the note").click()
    expect(dov.locator(".notes")).to_contain_text("Being called a traitor.")
    amal.goto(meeting_url)
    assert "traitor" not in amal.content()
    assert MeetingNote.objects.count() == 4


def test_it_states_a_track_one_and_a_half_meeting(browser: Browser, live_server: Any) -> None:
    dialogue, (up_link, down_link) = _setup(live_server)
    fac = _sign_in(browser.new_context(viewport=LAPTOP), live_server, dialogue)  # type: ignore[arg-type]
    amal, dov = _join(browser, up_link, "Heron"), _join(browser, down_link, "Kestrel")
    _new_meeting(fac, "Facilitated agenda", track_one_and_a_half=True)
    _go_to_phase(fac, "Constraints")
    actions.write_statement(dialogue, IDEA, user=User.objects.get(username="facilitator"))
    for page, choice in ((amal, "Agree"), (dov, "Disagree")):
        page.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
        expect(page.locator(".track-one-and-a-half")).to_contain_text("private capacity")
        expect(page.locator(".regime")).to_contain_text("Chatham House Rule")
        if page is amal:
            _shot(page, "track-one-and-a-half-phone", full_page=True)
        page.get_by_role("button", name=choice, exact=True).click()
    fac.goto(f"{live_server.url}/briefs/dialogues/{dialogue.pk}/preview")
    expect(fac.locator(".standing")).to_contain_text(
        "Track 1.5: officials took part in a private capacity"
    )
