"""A participant's day in real Chromium, on a phone and a desktop: from ``/`` they paste
their invitation into "I have an invitation", join, land on their dialogue and vote, then
find their own page -- by clicking only. No console error, no request to another origin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from roles_support import follow, make_scene, open_site, shot

from tracktwo.dialogues.models import Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_it_takes_a_participant_from_the_invitation_to_a_vote(
    browser: Browser, live_server: Any, viewport: str
) -> None:
    scene = make_scene(voters_per_side=2)
    token = scene.workshop.invite(0)
    page, watch = open_site(browser, live_server, viewport)
    page.get_by_label("Invitation link or code").fill(f"{live_server.url}/join/{token}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="You are invited to a dialogue")).to_be_visible()
    page.get_by_label("Your handle").fill("Kingfisher")
    page.get_by_label("I have read the ground rules").check()
    page.get_by_role("button", name="Join the dialogue").click()
    follow(page, "Start voting")
    before = Vote.objects.count()
    expect(page.get_by_role("button", name="Agree", exact=True)).to_be_visible()
    shot(page, "home-participant", viewport)
    page.get_by_role("button", name="Agree", exact=True).click()
    expect(page).to_have_url(re.compile(r"/d/\d+/vote$"))
    assert Vote.objects.count() == before + 1

    follow(page, "Dialogue", exact=True)  # the site's name leads back to their dialogue
    expect(page).to_have_url(re.compile(r"/d/\d+/vote$"))
    follow(page, "Me")
    expect(page.get_by_text("Kingfisher").first).to_be_visible()
    watch.assert_clean()
