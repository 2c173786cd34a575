"""End to end in real Chromium: a facilitator sets up a dialogue and invites two parties;
two participants join on phones, accept the ground rules, vote and write; the facilitator
moderates and watches the live dashboard follow the votes without reloading.

Every page may talk to the live server only: each request the browser makes is checked.
With ``TRACKTWO_SCREENSHOTS=docs/screenshots`` the test saves the pictures used in the
user guide.
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
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Statement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres_too,  # the dashboard refreshes while others write (tests/conftest.py)
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
SEEDS = (
    "Both valleys need a guaranteed minimum flow of clean water, every season.",
    "The dam's water-release data should be published every week.",
    "Upstream farms should be compensated when releases are increased.",
    "A joint commission with equal seats should decide releases in a drought.",
    "Fishing rights downstream matter as much as irrigation upstream.",
)


class Watch:
    """Every request the browser makes and every console error, for the final checks."""

    def __init__(self, origin: str) -> None:
        self.origin = origin.rstrip("/")
        self.elsewhere: list[str] = []
        self.console_errors: list[str] = []

    def attach(self, context: BrowserContext) -> BrowserContext:
        context.on("request", self._request)
        context.on("console", self._console)
        return context

    def _request(self, request: Any) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or url == self.origin or url.startswith("data:")):
            self.elsewhere.append(url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)


def _shot(page: Page, name: str, *, full_page: bool = False) -> None:
    folder = os.environ.get("TRACKTWO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def _invite(page: Page, party: str, count: int) -> list[str]:
    page.get_by_label("Party", exact=True).select_option(label=party)
    page.get_by_label("Track", exact=True).select_option(label="Private citizen")
    page.get_by_label("How many invitations").fill(str(count))
    page.get_by_role("button", name="Create invitation links").click()
    expect(page.locator(".invite-url").first).to_be_visible()
    return [field.input_value() for field in page.locator(".invite-url").all()]


def _simulate_voters(dialogue: Dialogue, links: dict[str, list[str]]) -> None:
    """Others who joined with the remaining links and voted (so there are groups to see)."""
    statements = list(Statement.objects.filter(dialogue=dialogue, is_seed=True).order_by("id"))
    for side, urls in links.items():
        for n, url in enumerate(urls):
            token = url.rsplit("/", 1)[1]
            joined = actions.join(token, f"voter-{side}-{n}", True)
            upstream = side == "Upstream"
            values = [1, 1 if n % 3 else 0, 1 if upstream else -1, 1 if n % 2 else -1]
            values.append(-1 if upstream else 1)
            for statement, value in zip(statements, values, strict=True):
                actions.cast_vote(joined.participant, statement.pk, value)


def _join(context: BrowserContext, link: str, handle: str, shot: str = "") -> Page:
    page = context.new_page()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/join$"))  # the token left the address bar
    expect(page.locator("blockquote.regime")).to_contain_text("Chatham House Rule")
    expect(page).to_have_title("Join · Dialogue")
    if shot:
        _shot(page, shot, full_page=True)
    page.get_by_label("Your handle").fill(handle)
    page.get_by_label("I have read the ground rules").check()
    page.get_by_role("button", name="Join the dialogue").click()
    expect(page.get_by_role("heading", name="Your recovery code")).to_be_visible()
    expect(page.locator("code.token")).to_have_text(re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$"))
    page.get_by_role("link", name="Start voting").click()
    return page


def _vote(page: Page, choices: list[str]) -> None:
    for choice in choices:
        before = page.locator("input[name=statement]").input_value()
        page.get_by_role("button", name=choice, exact=True).click()
        if page.locator("input[name=statement]").count():
            expect(page.locator("input[name=statement]")).not_to_have_value(before)


def test_it_runs_a_dialogue_from_invitation_to_live_dashboard(
    browser: Browser, live_server: Any
) -> None:
    watch = Watch(live_server.url)
    account_actions.create_account("facilitator", password=PASSWORD, convener=True)

    # A facilitator signs in, creates a dialogue and invites two parties.
    desk = watch.attach(browser.new_context(viewport=LAPTOP))  # type: ignore[arg-type]
    fac = desk.new_page()
    fac.goto(live_server.url + "/accounts/sign-in")
    fac.get_by_label("Name", exact=True).fill("facilitator")
    fac.get_by_label("Password").fill(PASSWORD)
    fac.get_by_role("button", name="Continue").click()
    expect(fac).to_have_url(live_server.url + "/")  # the role's home
    fac.get_by_role("link", name="New dialogue").click()
    fac.get_by_label("Title of the new initiative").fill("Valley water talks")
    fac.get_by_label("Parties of the new initiative").fill("Upstream\nDownstream")
    fac.get_by_label("Title of the dialogue").fill("Spring workshop")
    fac.get_by_label(re.compile("^Interactive problem-solving workshop")).check()
    fac.get_by_label(re.compile("^Chatham House Rule")).check()
    fac.get_by_label(re.compile("^Hold participants' statements")).check()
    fac.get_by_role("button", name="Create the dialogue").click()
    expect(fac.get_by_role("heading", name="Invite participants")).to_be_visible()
    dialogue = Dialogue.objects.get()
    upstream = _invite(fac, "Upstream", 9)
    downstream = _invite(fac, "Downstream", 9)
    _shot(fac, "facilitator-invitations")
    assert all("/join/t2i_" in link for link in upstream + downstream)
    fac.get_by_role("link", name="Moderation").click()
    for text in SEEDS:
        fac.get_by_label("Seed statement").fill(text)
        fac.get_by_role("button", name="Add the statement").click()
        expect(fac.locator(".messages")).to_contain_text("Seed statement added")
    fac.get_by_role("link", name="Overview").click()
    fac.get_by_role("button", name="Start the first session").click()
    expect(fac.locator(".agenda .current")).to_contain_text("Needs and fears")
    # The brainstorm holds disagreement (issue 13): this walk votes in the constraints phase.
    fac.get_by_label("Go to phase").select_option(label="Constraints")
    fac.get_by_role("button", name="Go", exact=True).click()
    expect(fac.locator(".agenda .current")).to_contain_text("Constraints")
    _simulate_voters(dialogue, {"Upstream": upstream[1:], "Downstream": downstream[1:]})

    # Two participants join on phones, accept the ground rules, vote and write.
    phone_a = watch.attach(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True))  # type: ignore[arg-type]
    phone_b = watch.attach(browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True))  # type: ignore[arg-type]
    amal = _join(phone_a, upstream[0], "Heron", shot="participant-join")
    expect(amal).to_have_title("Vote · Dialogue")
    expect(amal.locator(".quick-exit")).to_be_visible()
    _shot(amal, "participant-vote")
    _vote(amal, ["Agree", "Agree", "Disagree", "Pass / unsure", "Agree"])
    expect(amal.get_by_role("heading", name="You have voted on every statement")).to_be_visible()
    amal.get_by_role("link", name="Write a statement").click()
    amal.get_by_label("Your statement").fill("Upstream villages fear losing their wells.")
    amal.get_by_role("button", name="Send").click()
    expect(amal.locator(".messages")).to_contain_text("A facilitator will look at your statement")
    dov = _join(phone_b, downstream[0], "Kestrel")
    _vote(dov, ["Agree", "Disagree", "Agree", "Agree", "Disagree"])
    dov.get_by_role("link", name="Write", exact=True).click()
    dov.get_by_label("Your statement").fill(
        "As the teacher in Lower Ford, I see children miss school in dry months."
    )
    dov.get_by_role("button", name="Send").click()

    # The facilitator moderates: accepts one statement, redacts a detail of the other.
    fac.get_by_role("link", name="Moderation").click()
    items = fac.locator(".queue-item:not(.decided)")
    expect(items).to_have_count(2)
    _shot(fac, "facilitator-moderation")
    first = items.filter(has_text="Upstream villages")
    first.get_by_role("button", name="Accept").click()
    expect(fac.locator(".messages")).to_contain_text("Statement marked: Accepted")
    second = fac.locator(".queue-item:not(.decided)").filter(has_text="Lower Ford")
    second.locator("summary").click()
    second.locator("textarea").fill("As a teacher, I see children miss school in dry months.")
    second.get_by_role("button", name="Accept").click()
    expect(fac.locator(".messages")).to_contain_text("Its author is told")

    # The live dashboard follows new votes without a reload.
    fac.get_by_role("link", name="Dashboard").click()
    expect(fac.locator("[data-refresh-state]")).to_have_text("Updates live")
    total = fac.locator("[data-total-votes]")
    before = int(total.inner_text())
    amal.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
    _vote(amal, ["Agree", "Agree"])
    expect(total).to_have_text(str(before + 2), timeout=10_000)
    expect(fac.locator(".opinion-map svg")).to_be_visible()
    assert "Heron" not in fac.content() and "Kestrel" not in fac.content()
    _shot(fac, "facilitator-dashboard", full_page=True)

    # Results, once shared: per side and per group, small cells withheld.
    fac.get_by_role("link", name="Overview").click()
    fac.get_by_role("button", name="Share results with participants").click()
    expect(fac.locator(".messages")).to_contain_text("Participants can now see the results")
    amal.goto(f"{live_server.url}/d/{dialogue.pk}/results")
    expect(amal.get_by_role("heading", name="Common ground across sides")).to_be_visible()
    expect(amal.locator(".support").first).to_be_visible()
    _shot(amal, "participant-results", full_page=True)

    # The participant's own page: the redaction notice and where they stand.
    dov.goto(f"{live_server.url}/d/{dialogue.pk}/me")
    expect(dov.locator(".notices")).to_contain_text("Your statement was edited")
    expect(dov.locator(".own-statements")).to_contain_text("As a teacher")
    assert "Lower Ford" not in dov.content()
    expect(dov.locator(".opinion-map svg")).to_be_visible()
    _shot(dov, "participant-me", full_page=True)

    assert Participant.objects.filter(dialogue=dialogue).count() == 18

    # Quick exit ends the participant's session and shows a page that says nothing.
    amal.locator(".quick-exit").click()
    expect(amal).to_have_title("Lentil soup")
    amal.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
    expect(amal).to_have_url(re.compile(r"/recover$"))

    # Right to left: in Hebrew the page mirrors, Agree sits to the right of Disagree.
    dov.get_by_label("Language").select_option("he")
    dov.get_by_role("button", name="Change").click()
    expect(dov.locator("html")).to_have_attribute("dir", "rtl")
    dov.goto(f"{live_server.url}/d/{dialogue.pk}/vote")
    agree = dov.locator("button.vote.agree").bounding_box()  # the two newly accepted ones
    disagree = dov.locator("button.vote.disagree").bounding_box()
    assert agree is not None and disagree is not None
    assert agree["x"] > disagree["x"]
    assert watch.elsewhere == [], watch.elsewhere
    assert not [e for e in watch.console_errors if "Content Security Policy" in e]
    for context in (desk, phone_a, phone_b):
        context.close()
