"""The operator's admin in real Chromium: an operator signs in through the site's own sign-in
page, ticks **convener** for an account in the list and saves, under our CSP, with no request
to another origin and no console error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from factories import PASSWORD, make_user
from playwright.sync_api import Browser, expect
from roles_support import Watch

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_an_operator_mark_a_convener(browser: Browser, live_server: Any) -> None:
    operator = accounts.create_account("operator1", password=PASSWORD, operator=True)
    user = make_user("facilitator5")
    watch = Watch(live_server.url)
    page = watch.attach(browser.new_context()).new_page()
    page.goto(live_server.url + "/operator/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in\?next=/operator/$"))
    page.get_by_label("Name", exact=True).fill(operator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + "/operator/")
    page.get_by_role("link", name="Users").first.click()
    row = page.locator("#result_list tbody tr", has_text=user.username)
    row.locator("input[name$='-is_convener']").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert User.objects.get(pk=user.pk).is_convener
    row = page.locator("#result_list tbody tr", has_text=user.username)
    row.get_by_role("link", name=user.username).click()
    expect(page.locator("input[name='is_convener']")).to_be_checked()
    assert not any(url for url in watch.elsewhere), watch.elsewhere
    csp = [e for e in watch.console_errors if "Content Security Policy" in e]
    assert csp == [], csp
    watch.assert_clean()
