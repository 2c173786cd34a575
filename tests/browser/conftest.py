"""What every browser test here needs beside the root conftest's ``browser``: the ORM usable
beside Playwright's event loop for the whole module, a private master key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from factories import private_master_key as private_master_key


@pytest.fixture(autouse=True, scope="module")
def _allow_sync_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API runs an event loop; Django's ORM refuses sync calls inside one.

    Scoped to each module so the flag never leaks into other tests or their subprocesses.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield
