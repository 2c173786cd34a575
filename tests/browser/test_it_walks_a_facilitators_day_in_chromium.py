"""A facilitator's day in real Chromium, on a phone and a desktop: sign in from ``/``, land
on the home, and by clicking only reach the dialogue, its dashboard (with its summary and
section links), its brief, issue it to the liaison, and the brief's copies. No console
error, no request to another origin."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from roles_support import follow, make_scene, open_site, shot, sign_in

from tracktwo.transfer.models import Brief, BriefState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_it_takes_a_facilitator_from_sign_in_to_an_issued_brief(
    browser: Browser, live_server: Any, viewport: str
) -> None:
    scene = make_scene()
    page, watch = open_site(browser, live_server, viewport)
    shot(page, "home-visitor", viewport)
    sign_in(page, live_server, scene.facilitator)
    expect(page.get_by_text("12 of 12 participants voted")).to_be_visible()
    shot(page, "home-facilitator", viewport)

    follow(page, "Valley workshop")
    expect(page.get_by_role("heading", name="Valley workshop")).to_be_visible()
    follow(page, "Dashboard")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    shot(page, "dashboard", viewport)
    follow(page, "Participation")  # a section link: the page stays, the view jumps
    expect(page).to_have_url(re.compile(r"/dashboard#participation-heading$"))

    follow(page, "Brief")
    expect(page.get_by_role("heading", name=re.compile("^Brief: "))).to_be_visible()
    follow(page, "Choose recipients and issue this brief")
    page.get_by_label(re.compile("^Send a copy to ")).first.check()
    page.get_by_role("button", name="Issue", exact=True).click()
    expect(page.get_by_role("heading", name="The brief is issued")).to_be_visible()
    follow(page, "The brief's copies")
    expect(page.get_by_role("heading", name="Distribution")).to_be_visible()
    shot(page, "brief-issued", viewport)

    follow(page, "Briefs of this dialogue")
    follow(page, "Transfer to Track One")
    expect(page.get_by_role("heading", name=re.compile("^Transfer to Track One"))).to_be_visible()
    follow(page, "Dialogue", exact=True)  # the site's name: back home
    expect(page).to_have_url(live_server.url + "/")
    assert Brief.objects.filter(state=BriefState.ISSUED).count() == 1
    watch.assert_clean()
