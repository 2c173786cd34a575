"""Real Chromium (Debian's, through Playwright) for the browser tests, and what every
browser test needs: the ORM usable beside Playwright's event loop, a private master key."""

from __future__ import annotations

from collections.abc import Iterator

import playwright.sync_api as playwright_sync
import pytest
from factories import private_master_key as private_master_key
from playwright.sync_api import Browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="module")
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop; Django's ORM refuses sync calls inside one.

    Scoped to each module so the flag never leaks into other tests or their subprocesses.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture
def browser(chromium_executable: str) -> Iterator[Browser]:
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
