"""A Track One liaison's day in real Chromium, on a phone and a desktop: sign in from
``/``, land on the home with the briefs sent to them, and by clicking only read the brief.
No console error, no request to another origin."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from roles_support import follow, make_scene, open_site, shot, sign_in

from tracktwo.transfer import actions as transfer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_it_takes_a_liaison_from_sign_in_to_the_brief(
    browser: Browser, live_server: Any, viewport: str
) -> None:
    scene = make_scene()
    workshop = scene.workshop
    brief = transfer.draft_for(workshop.dialogue, None, workshop.facilitator)
    issued = transfer.issue(brief, workshop.facilitator, [(workshop.liaison, "Ministry desk")])
    transfer.open_link(issued[0].link_token, workshop.liaison)  # the link they were sent

    page, watch = open_site(browser, live_server, viewport)
    sign_in(page, live_server, scene.liaison)
    expect(page.get_by_role("heading", name="Briefs sent to you")).to_be_visible()
    expect(page.get_by_role("link", name="New dialogue")).to_have_count(0)
    shot(page, "home-liaison", viewport)

    follow(page, f"Brief {brief.pk}")
    expect(page.get_by_text("This copy is yours alone")).to_be_visible()
    follow(page, "Read")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    expect(page.get_by_text("Common ground across sides").first).to_be_visible()
    shot(page, "brief", viewport, full_page=True)
    watch.assert_clean()
