"""Under ``Referrer-Policy: no-referrer`` real Chromium posts our forms with ``Origin: null``
and no ``Referer``; the site still accepts them (Fetch Metadata vouches for them) and its
CSRF check still runs."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Request, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_accepts_a_form_that_chromium_posts_without_a_referrer(
    browser: Browser, live_server: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    first = page.goto(live_server.url + "/accounts/sign-in")
    assert first is not None and first.headers["referrer-policy"] == "no-referrer"
    page.get_by_label("Name", exact=True).fill("nobody")
    page.get_by_label("Password").fill("not the password")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Continue").click()
    headers = posts[-1].all_headers()
    assert "referer" not in headers
    assert headers["origin"] == "null"
    assert headers["sec-fetch-site"] == "same-origin"
    assert answer.value.status == 200  # the sign-in form again, with its error; not a CSRF 403
    expect(page.locator("form.stack")).to_contain_text("The name or the password is wrong")
    context.close()
