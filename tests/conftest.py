"""Shared test set-up: database markers, system-dependency gates, per-test resets.

The people and places the tests stand on, and the master-key fixture, are in factories.py.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest_plugins = ["file_order"]  # the files' order: longest first (tests/file_order.py)

os.environ.setdefault("TRACKTWO_DATA_DIR", tempfile.mkdtemp(prefix="tracktwo-test-"))

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("TRACKTWO_SHARED_DATA", REPO.parent / "shared" / "data"))
DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_system(what: bool, message: str) -> None:
    """Skip (locally) or fail (under CI=true) when a system dependency is missing."""
    if what:
        return
    if in_ci():
        pytest.fail(f"required under CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture(name="require_system")
def require_system_fixture() -> Callable[[bool, str], None]:
    """:func:`require_system` for the tests that gate on a system dependency themselves."""
    return require_system


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches the database so the PostgreSQL pass can select them.

    A browser test checks pages, which do not change with the database: it runs in the
    SQLite pass only, unless marked ``postgres_too`` -- those drive several writers at once
    through the live server, where PostgreSQL's row locks and its own SQL come into play. The
    views behind every page run on PostgreSQL in the test client's tests."""
    on_postgres = os.environ.get("TRACKTWO_TEST_ON_POSTGRES") == "1"
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        in_browser = item.get_closest_marker("browser") or "browser" in fixtures
        pages_only = in_browser and not item.get_closest_marker("postgres_too")
        if (
            item.get_closest_marker("django_db") or fixtures & DATABASE_FIXTURES
        ) and not pages_only:
            item.add_marker(pytest.mark.database)
        if item.get_closest_marker("postgres_only") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "database: touches the database (run on SQLite and PostgreSQL)"
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, request: pytest.FixtureRequest
) -> None:
    """On SQLite, the test database is a file in WAL mode, as a site's is, one per test
    process -- not Django's default, a shared-cache database in memory. In memory, SQLite
    locks whole tables between connections and answers "database table is locked" at once,
    without waiting: a test whose background thread read the votes while the test wrote
    one failed whenever the machine was slow enough for the two to meet."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"] != "django.db.backends.sqlite3" or test.get("NAME"):
        return
    process = getattr(request.config, "workerinput", {}).get("workerid", "main")
    folder = Path(tempfile.mkdtemp(prefix="tracktwo-test-db-"))
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))  # after its teardown
    test["NAME"] = str(folder / f"test-{process}.sqlite3")


@pytest.fixture(autouse=True, scope="session")
def schema_templates() -> Iterator[Any]:
    """Removes this test process's migrated templates (tests/schema_templates.py) when the
    session ends, should a test have made one; at exit otherwise."""
    from schema_templates import TEMPLATES

    yield TEMPLATES
    TEMPLATES.remove()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    require_system(SHARED_DATA.is_dir(), f"the shared Pol.is data folder {SHARED_DATA} is missing")
    return SHARED_DATA


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def browser(chromium_executable: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Real Chromium (Debian's, through Playwright), with Django's ORM usable beside
    Playwright's event loop for the test's duration. Every browser test uses this one."""
    import playwright.sync_api as playwright_sync

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_sync.sync_playwright() as playwright:
        found = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield found
        found.close()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = os.environ.get("TRACKTWO_CHROMIUM", "/usr/bin/chromium")
    require_system(
        Path(path).exists() or shutil.which(path) is not None,
        "browser tests need Chromium: apt-get install chromium",
    )
    return path


@pytest.fixture(autouse=True)
def _fresh_local_caches() -> Iterator[None]:
    """Rate-limit counters in the local-memory cache do not carry over between tests."""
    yield
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture(autouse=True)
def steady_rate_limit_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the rate limiter's clock still during a test.

    The limiter counts in fixed windows aligned to the clock; a test that crossed a window
    boundary between its requests would see its count reset and fail by chance.
    """
    import time

    from tracktwo.safety import ratelimit

    frozen = time.time()
    monkeypatch.setattr(ratelimit, "clock", lambda: frozen)


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A page asked for in Arabic or Hebrew leaves that language active in the thread
    (LocaleMiddleware activates it and nothing resets it between the test client's
    requests); with the Arabic catalogue installed, later tests would read Arabic."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _live_analysis_inline() -> Iterator[None]:
    """Refresh live analyses inside the request, unless a test asks for the background thread
    (``settings.TRACKTWO_LIVE_BACKGROUND = True``). Importing ``tracktwo.site.wsgi`` -- the
    schemathesis test does, at collection -- turns the background on for the whole process,
    as it should in a served process; in a test process it made the live-analysis tests of
    every later test in that worker read stale results."""
    from django.test import override_settings

    with override_settings(TRACKTWO_LIVE_BACKGROUND=False):
        yield


def _empty_the_audit_log() -> None:
    """Delete every audit row, the append-only triggers lifted for that moment only."""
    import importlib

    from django.db import connection

    initial = importlib.import_module("tracktwo.safety.migrations.0001_initial")
    postgres = connection.vendor == "postgresql"
    drop = initial.POSTGRES_DROP if postgres else initial.SQLITE_DROP
    create = initial.POSTGRES_TRIGGERS if postgres else initial.SQLITE_TRIGGERS
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        cursor.execute("DELETE FROM safety_auditevent")
        for statement in create:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _audit_log_of_this_test_only(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test's audit rows do not outlive it. Django's flush empties the other
    tables after such a test but leaves the append-only audit log alone (it is unmanaged and
    its triggers refuse DELETE and TRUNCATE), so a later test in the same process that counts
    audit rows by action would count this one's too: whether it passed depended on the order
    the files ran in. Tests inside a rolled-back transaction need nothing."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if transactional:
        _empty_the_audit_log()
