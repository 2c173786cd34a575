"""Fixtures for the formats tests (Sustained Dialogue, listening circles, joint texts)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import playwright.sync_api as playwright_sync
import pytest
from factories import private_master_key as private_master_key
from playwright.sync_api import Browser

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def browser(chromium_executable: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """Real Chromium, with the ORM usable beside Playwright's event loop."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_sync.sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=chromium_executable,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield found
        found.close()
