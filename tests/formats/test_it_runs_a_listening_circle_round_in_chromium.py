"""In real Chromium: a listening circle's round. The facilitator (laptop) begins the month's
gathering and opens a round; two participants of different sides (phones) reflect; the
facilitator sees who has spoken, the participants do not; a vote in the circle is refused
with a plain sentence naming the format.

With ``TRACKTWO_SCREENSHOTS=docs/images`` it saves the user guide's pictures.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import phone, setting, shot, sign_in
from playwright.sync_api import Browser, expect

from tracktwo.circles.models import Reflection
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROMPT = "What did the river mean to your family?"


def test_it_runs_a_round_with_turns_for_the_facilitator_only(
    browser: Browser, live_server: Any
) -> None:
    origin = live_server.url
    dialogue, (upstream, downstream), convener = setting("Living room", "living-room")
    seed = actions.write_statement(dialogue, "The river belongs to all.", user=convener)
    desk = sign_in(browser, origin)
    desk.goto(f"{origin}/dialogues/{dialogue.pk}/")
    desk.get_by_role("link", name="Listening circle").click()
    desk.get_by_label("Day of the next gathering").fill("2026-12-10")
    desk.get_by_role("button", name="Save the day").click()
    desk.get_by_role("button", name="Begin this month's gathering").click()
    expect(desk.locator(".messages")).to_contain_text("Gathering 1 has begun")
    desk.get_by_label("Prompt of the next round").fill(PROMPT)
    desk.get_by_role("button", name="Open the round").click()
    expect(desk.locator("blockquote.prompt")).to_have_text(PROMPT)

    amal = phone(browser, origin, dialogue, upstream, convener, "Amal")
    boris = phone(browser, origin, dialogue, downstream, convener, "Boris")
    amal.goto(f"{origin}/d/{dialogue.pk}/")
    amal.get_by_role("link", name="Circle").click()
    expect(amal.locator("#prompt")).to_have_text(PROMPT)
    expect(amal.locator(".standing")).to_contain_text("Jan. 10, 2027")  # a month on
    amal.get_by_label("Your reflection").fill("My grandfather fished there every morning.")
    amal.get_by_role("button", name="Share with the circle").click()
    expect(amal.locator(".reflections")).to_contain_text("My grandfather fished there")

    desk.reload()
    turns = desk.locator("ul.turns")
    expect(turns.locator("li", has_text="Amal")).to_contain_text("has spoken")
    expect(turns.locator("li", has_text="Boris")).to_contain_text("not yet")

    boris.goto(f"{origin}/d/{dialogue.pk}/circle")
    boris.get_by_label("Your reflection").fill("For us it meant the floods, and fear.")
    boris.get_by_role("button", name="Share with the circle").click()
    expect(boris.locator(".reflections li")).to_have_count(2)
    body = boris.locator("main").inner_text()
    assert "Amal" not in body and "has spoken" not in body
    shot(boris, "circle-participant")

    desk.reload()
    expect(turns.locator("li", has_text="Boris")).to_contain_text("has spoken")
    shot(desk, "circle-desk")

    # No voting in a circle: the vote page refuses, naming the format.
    expect(boris.get_by_role("link", name="Vote", exact=True)).to_have_count(0)
    boris.goto(f"{origin}/d/{dialogue.pk}/vote")
    boris.get_by_role("button", name="Agree", exact=True).click()
    expect(boris.locator(".messages")).to_contain_text("listening circle")
    expect(boris.locator(".messages")).to_contain_text("nobody votes here")
    assert not Vote.objects.filter(statement=seed).exists()
    assert Reflection.objects.count() == 2
