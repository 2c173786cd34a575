"""The API docs in real Chromium: Swagger UI from django-ninja's own static files renders
under our CSP for a signed-in account (reached from the tokens page), with no request to
another origin and no console error; a visitor is sent to the sign-in page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from factories import PASSWORD, make_user
from playwright.sync_api import Browser, expect
from roles_support import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_renders_swagger_ui_for_accounts_only(browser: Browser, live_server: Any) -> None:
    user = make_user("reader", password=PASSWORD)
    watch = Watch(live_server.url)
    page = watch.attach(browser.new_context()).new_page()
    page.goto(live_server.url + "/api/v1/docs")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in\?next=/api/v1/docs$"))
    page.get_by_label("Name", exact=True).fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + "/api/v1/docs")
    # The page fetches the OpenAPI document, generated on first request: seconds on a busy
    # machine, so a bound wider than expect's 5 s default.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Dialogue API", timeout=60_000)
    expect(page.locator(".opblock").first).to_be_visible()
    assert "tracktwo" not in page.content().lower()
    assert not any(url for url in watch.elsewhere), watch.elsewhere
    csp = [e for e in watch.console_errors if "Content Security Policy" in e]
    assert csp == [], csp
    watch.assert_clean()
