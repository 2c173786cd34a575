"""In real Chromium: participants rank candidate versions of a joint text on their phones,
the facilitator reads the Schulze ranking on its page and records the agreed text.

With ``TRACKTWO_SCREENSHOTS=docs/images`` it saves the user guide's pictures.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import phone, setting, shot, sign_in
from playwright.sync_api import Browser, expect

from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.jointtext import agreement, drafting
from tracktwo.jointtext.models import JointText

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDINGS = (
    ["The river is shared: each valley is guaranteed a minimum flow in every season."],
    ["The river is shared.", "A joint commission with equal seats sets releases in a drought."],
    ["Both valleys will publish their water data every week."],
)


def test_it_ranks_candidate_versions_and_agrees_on_the_winner(
    browser: Browser, live_server: Any
) -> None:
    origin = live_server.url
    dialogue, (upstream, downstream), convener = setting("Valley text", "problem-solving-workshop")
    facilitator = User.objects.get(username="facilitator")
    joint_text = drafting.start(dialogue, "joint-memorandum", "On the river", facilitator)
    for paragraphs in WORDINGS:
        drafting.add_version(joint_text, paragraphs, "", facilitator)
    agreement.open_ranking(joint_text, [1, 2, 3], facilitator)
    for n, order in enumerate(([2, 1, 3], [2, 3, 1], [1, 2, 3], [3, 2, 1])):
        _, token = actions.create_invitation(
            dialogue, party=(upstream, downstream)[n % 2], by=convener
        )
        agreement.rank(actions.join(token, f"ranker {n}", True).participant, order)

    amal = phone(browser, origin, dialogue, downstream, convener, "Amal")
    amal.goto(f"{origin}/d/{dialogue.pk}/")
    amal.get_by_role("link", name="Joint text").click()
    amal.get_by_label("Place").nth(1).select_option("1")  # version 2 first
    amal.get_by_label("Place").nth(0).select_option("2")
    shot(amal, "joint-text-participant")
    amal.get_by_role("button", name="Save my ranking").click()
    expect(amal.locator(".messages")).to_contain_text("Your ranking is saved")

    desk = sign_in(browser, origin)
    desk.goto(f"{origin}/dialogues/{dialogue.pk}/")
    desk.get_by_role("link", name="Joint text").click()
    expect(desk.get_by_text("5 ballots so far.")).to_be_visible()
    desk.get_by_role("link", name="See the ranking").click()
    expect(desk.locator("#schulze-order li").first).to_contain_text("Version 2")
    expect(desk.locator("#schulze-order li")).to_have_count(3)
    shot(desk, "joint-text-ranking")
    desk.get_by_role("link", name="Back to the joint text").click()
    desk.get_by_role("button", name="Close the ranking: its winner is the agreed text").click()
    expect(desk.locator(".messages")).to_contain_text("Version 2 is the agreed text")
    desk.get_by_label("Who receives the agreed text").fill("Ministry of Water\nOffice of the Envoy")
    desk.get_by_role("button", name="Save the distribution list").click()
    expect(desk.locator(".agreed")).to_contain_text("Office of the Envoy")
    shot(desk, "joint-text-agreed")
    assert JointText.objects.get().agreed_version.number == 2  # type: ignore[union-attr]
