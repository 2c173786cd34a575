"""What the role browser tests share: a workshop with votes, accounts with passwords, a
watch on every request and console message, signing in from ``/`` by clicking, and the
user guide's screenshots (``TRACKTWO_SCREENSHOTS=docs/images``).

Each role's test opens ``/`` once and then only clicks: no other URL is typed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factories import FACILITATOR, LIAISON, PASSWORD, Workshop, assess_tool, make_workshop
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tracktwo.dialogues import actions

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": LAPTOP}
SEEDS = (
    "Both valleys need a guaranteed minimum flow of clean water, every season.",
    "The dam's water-release data should be published every week.",
    "A joint commission with equal seats should decide releases in a drought.",
)


class Watch:
    """Every request the browser makes and every console error, for the final checks."""

    def __init__(self, origin: str) -> None:
        self.origin = origin.rstrip("/")
        self.elsewhere: list[str] = []
        self.console_errors: list[str] = []
        self.failed: list[str] = []

    def attach(self, context: BrowserContext) -> BrowserContext:
        context.on("request", self._request)
        context.on("console", self._console)
        context.on("response", self._response)
        return context

    def _response(self, response: Any) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _request(self, request: Any) -> None:
        url = request.url
        if not (url.startswith(self.origin + "/") or url == self.origin or url.startswith("data:")):
            self.elsewhere.append(url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def assert_clean(self) -> None:
        assert self.elsewhere == [], self.elsewhere
        assert self.console_errors == [], (self.console_errors, self.failed)


def shot(page: Page, name: str, viewport: str, *, full_page: bool = False) -> None:
    """Save a screenshot for the user guide when ``TRACKTWO_SCREENSHOTS`` names a folder."""
    folder = os.environ.get("TRACKTWO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = Path(folder) / f"{name}-{viewport}.png"
        page.screenshot(path=str(path), full_page=full_page)


@dataclass
class Scene:
    workshop: Workshop
    facilitator: str
    liaison: str


def make_scene(*, voters_per_side: int = 6) -> Scene:
    """The workshop of factories.py with a facilitator and a liaison who sign in with
    :data:`PASSWORD`, three seed statements and participants who voted on them."""
    workshop = make_workshop(dialogue_title="Valley workshop")
    workshop.cast(FACILITATOR, LIAISON)
    assess_tool(workshop.dialogue, workshop.convener, "briefs")  # the convener's do-no-harm check
    for user in (workshop.facilitator, workshop.liaison):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    statements = [
        actions.write_statement(workshop.dialogue, text, user=workshop.facilitator)
        for text in SEEDS
    ]
    for side in (0, 1):
        for n in range(voters_per_side):
            joined = workshop.join(f"voter-{side}-{n}", party=side)
            for i, statement in enumerate(statements):
                value = 1 if (i == 0 or (i == 2) == (side == 0)) else -1
                actions.cast_vote(joined.participant, statement.pk, value if n else 0)
    return Scene(workshop, workshop.facilitator.get_username(), workshop.liaison.get_username())


def open_site(browser: Browser, live_server: Any, viewport: str) -> tuple[Page, Watch]:
    """A fresh browser context at ``/`` (the only URL a test types), watched."""
    watch = Watch(live_server.url)
    context = watch.attach(browser.new_context(viewport=VIEWPORTS[viewport]))  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(live_server.url + "/")
    return page, watch


def sign_in(page: Page, live_server: Any, username: str) -> None:
    """From the visitor's home: click "Sign in", sign in, land on the role's home."""
    expect(page.get_by_role("heading", name="I have an invitation")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Name", exact=True).fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()


def follow(page: Page, name: str | re.Pattern[str], *, exact: bool = True) -> None:
    """Click the first visible link of that name."""
    link = page.get_by_role("link", name=name, exact=exact).first
    expect(link).to_be_visible()
    link.click()
