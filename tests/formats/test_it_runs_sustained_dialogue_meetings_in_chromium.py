"""In real Chromium: a Sustained Dialogue across three meetings. The facilitator (laptop)
starts each meeting, records the stage transitions with their markers and writes each
meeting's memorandum; two participants of different sides (phones) see the stage, the
marker and what was agreed to pick up, revisit the relationship map in versions, and write
a scenario at stage 4.

With ``TRACKTWO_SCREENSHOTS=docs/images`` it saves the user guide's pictures.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import phone, setting, shot, sign_in
from playwright.sync_api import Browser, Page, expect

from tracktwo.sustained.models import RelationshipMap, StageTransition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _meeting(desk: Page, stage: str, marker: str, summary: str, pick_up: str) -> None:
    """Start the next meeting, move to ``stage`` with ``marker``, write the memorandum."""
    desk.get_by_role("button", name="Start the").click()
    expect(desk.locator(".messages")).to_contain_text("has started")
    desk.get_by_label("Move the group to stage").select_option(label=stage)
    desk.get_by_label("Why now: the marker the group sees").fill(marker)
    desk.get_by_role("button", name="Record the transition").click()
    expect(desk.locator(".markers")).to_contain_text(marker)
    desk.get_by_label("What we did").fill(summary)
    desk.get_by_label("What we agreed to pick up next time").fill(pick_up)
    desk.get_by_role("button", name="Save the memorandum").click()
    expect(desk.locator(".messages")).to_contain_text("memorandum of this meeting is saved")


def test_it_walks_a_sustained_dialogue_over_three_meetings(
    browser: Browser, live_server: Any
) -> None:
    origin = live_server.url
    dialogue, (upstream, downstream), convener = setting("Valley series", "sustained-dialogue")
    desk = sign_in(browser, origin)
    desk.goto(f"{origin}/dialogues/{dialogue.pk}/")
    desk.get_by_role("link", name="Stages and memoranda").click()
    expect(desk.get_by_role("heading", name="Stage 1 of 5: Deciding to engage")).to_be_visible()

    # Meeting 1: the group decides to engage and names its problems.
    _meeting(
        desk,
        "2. Mapping and naming",
        "We agreed to talk, and to come back each month.",
        "Each side named what the water dispute costs it.",
        "The wells in the north.",
    )
    amal = phone(browser, origin, dialogue, upstream, convener, "Amal")
    amal.goto(f"{origin}/d/{dialogue.pk}/sustained")
    expect(amal.get_by_role("heading", name="Stage 2 of 5: Mapping and naming")).to_be_visible()
    expect(amal.locator(".markers")).to_contain_text("We agreed to talk")
    amal.get_by_label("Identity").fill("Farmers upstream, fishers downstream.")
    amal.get_by_label("Interests").fill("Water every season, for both.")
    amal.get_by_role("button", name="Save as a new version").click()
    expect(amal.get_by_text("Version 1, saved at meeting 1")).to_be_visible()

    # Meeting 2: the memorandum of meeting 1 is carried forward; the map is revisited.
    _meeting(
        desk,
        "3. Probing problems and relationships",
        "What we really need to focus on is trust between the villages.",
        "We probed why releases are never announced.",
        "Draft a scenario for sharing the northern wells.",
    )
    boris = phone(browser, origin, dialogue, downstream, convener, "Boris")
    boris.goto(f"{origin}/d/{dialogue.pk}/sustained")
    expect(boris.locator("#pick-up")).to_have_text("The wells in the north.")
    expect(boris.get_by_label("Identity")).to_have_value("Farmers upstream, fishers downstream.")
    boris.get_by_label("Perceptions").fill("Each side thinks the other hoards water.")
    boris.get_by_role("button", name="Save as a new version").click()
    expect(boris.get_by_text("Version 2, saved at meeting 2")).to_be_visible()
    shot(boris, "sustained-participant")

    # Meeting 3: scenario building on Saunders' five questions.
    _meeting(
        desk,
        "4. Scenario building",
        "We are ready to ask what we could do together.",
        "A first scenario for the wells.",
        "Who talks to the water boards.",
    )
    amal.goto(f"{origin}/d/{dialogue.pk}/sustained")
    expect(amal.locator("#pick-up")).to_have_text(
        "Draft a scenario for sharing the northern wells."
    )
    amal.locator("details.map-history summary").click()
    expect(amal.locator("details.map-history")).to_contain_text("Version 1, meeting 1")
    amal.get_by_label("Name of the scenario").fill("Shared northern wells")
    amal.get_by_label("What resources do we have").fill("Two engineers, one per side.")
    amal.get_by_label("Who could take those steps?").fill("The two water boards.")
    amal.get_by_role("button", name="Save the scenario").click()
    expect(amal.locator("article.scenario")).to_contain_text("Two engineers, one per side.")

    desk.reload()
    expect(desk.locator(".markers li")).to_have_count(3)
    expect(desk.locator(".scenario")).to_contain_text("Shared northern wells")
    shot(desk, "sustained-desk")
    assert list(StageTransition.objects.values_list("stage", flat=True)) == [2, 3, 4]
    assert RelationshipMap.objects.filter(saved_by__isnull=True).count() == 2
    for page in (amal, boris):
        assert "Amal" not in page.locator("main").inner_text().replace("Boris", "")
