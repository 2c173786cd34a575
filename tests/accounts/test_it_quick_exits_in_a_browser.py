"""Quick exit in real Chromium: Escape twice or the link leaves, and Back does not return."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.urls("accounts_quick_exit_urls")]


@pytest.fixture
def page(chromium_executable: str, live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        yield context.new_page()
        context.close()
        browser.close()


def _open_participant_page(page: Any, base: str) -> None:
    page.goto(f"{base}/accounts/sign-in")
    page.goto(f"{base}/participant-page")
    assert page.locator("h1").inner_text() == "Vote on a statement"
    assert any(c["name"] == "sessionid" for c in page.context.cookies())


def test_it_leaves_on_escape_twice_without_a_way_back(page: Any, live_server: Any) -> None:
    _open_participant_page(page, live_server.url)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/exit")
    assert page.title() == "Lentil soup"
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())
    page.go_back()
    assert page.url == f"{live_server.url}/accounts/sign-in"


def test_it_leaves_by_the_link_without_a_way_back(page: Any, live_server: Any) -> None:
    _open_participant_page(page, live_server.url)
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(f"{live_server.url}/exit")
    page.go_back()
    assert page.url == f"{live_server.url}/accounts/sign-in"


def test_it_does_not_leave_on_a_single_escape(page: Any, live_server: Any) -> None:
    _open_participant_page(page, live_server.url)
    page.keyboard.press("Escape")
    page.wait_for_timeout(1200)
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url == f"{live_server.url}/participant-page"
