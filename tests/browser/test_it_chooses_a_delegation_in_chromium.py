"""Real Chromium: a convener goes from the initiative's page to a dialogue's delegation,
imports a pool, sets the quotas, draws, sees the balance and sends the invitations."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tracktwo.accounts import actions as accounts
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Invitation
from tracktwo.initiatives import actions as initiative_actions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "actors"))
from actors_support import QUOTAS, generated_pool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long enough passphrase 42"


def test_it_imports_a_pool_draws_a_balanced_delegation_and_invites_it(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    origin = live_server.url
    convener = accounts.create_account("convener", password=PASSWORD, convener=True)
    initiative = initiative_actions.create_initiative(
        convener, "Valley", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative, "Spring", "living-room", "chatham-house", convener
    )
    pool = tmp_path / "pool.csv"
    pool.write_text(generated_pool(30, 1), encoding="utf-8")

    page = browser.new_context().new_page()
    page.goto(f"{origin}/accounts/sign-in")
    page.get_by_label("Name", exact=True).fill("convener")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{origin}/initiatives/{initiative.pk}/")
    page.get_by_role("link", name="Actor map and delegations").click()
    page.get_by_role("link", name="The delegation of Spring").click()
    expect(page.get_by_role("heading", name="Choosing who takes part")).to_be_visible()

    page.get_by_label("Pool file").set_input_files(str(pool))
    page.get_by_role("button", name="Import the pool").click()
    expect(page.locator(".messages")).to_contain_text("30 candidates added to the pool.")
    page.get_by_label("Quotas: category,value,min,max").fill(QUOTAS)
    page.get_by_role("button", name="Save the quotas").click()
    expect(page.locator(".messages")).to_contain_text("The quotas and targets are saved.")

    page.get_by_label("Delegation size").fill("6")
    page.get_by_label("Seed (empty: drawn at random and recorded)").fill("42")
    page.get_by_role("button", name="Draw", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Delegation drawn with seed 42.")
    expect(page.locator(".draw-record")).to_contain_text("seed 42")
    sides = page.locator("table.delegation-balance.pending").first  # drawn, not yet joined
    expect(sides).to_contain_text(re.compile(r"Downstream\s*3"))
    expect(sides).to_contain_text(re.compile(r"Upstream\s*3"))
    expect(page.locator("tr.selected")).to_have_count(6)

    page.get_by_role("button", name="Send invitations to the drawn delegation").click()
    expect(page.get_by_role("heading", name="Invitations made")).to_be_visible()
    expect(page.locator("ul.invited li")).to_have_count(6)
    expect(page.locator("ul.invited li").first).to_contain_text("/join/t2i_")
    assert Invitation.objects.filter(dialogue=dialogue).count() == 6
    page.goto(f"{origin}/dialogues/{dialogue.pk}/delegation")
    expect(page.locator("tr.selected").first).to_contain_text("invited")
