"""schemathesis against /api/v1/openapi.json, in process (WSGI): no route answers 5xx.

Every operation of the schema gets a bounded number of generated requests (derandomised,
no shrinking), each sent as an anonymous caller and with a convener's, a facilitator's
and a participant's bearer token. Half the examples aim at the world's real objects
(the dialogue, initiative, statement, transfer-log entry), so generated bodies reach the
code behind the permission checks. Each request runs in a savepoint rolled back
afterwards, so no example changes what the next one finds (a withdrawal, a deletion).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from matrix import API, DEFAULT_PARAMS
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from security_world import CONVENER, FACILITATOR, PARTICIPANT, World

from tracktwo.insight import service as live
from tracktwo.site.wsgi import application

pytestmark = pytest.mark.django_db
EXAMPLES = 15
CALLERS = (None, CONVENER, FACILITATOR, PARTICIPANT)


def real_parameters(path: str, world: World) -> dict[str, Any]:
    """The path parameters of the world's own objects, as the matrix fills them."""
    route = API.get(path)
    names = route.params if route is not None else {}
    found: dict[str, Any] = {}
    for name in ("id", "sid"):
        source = names.get(name, DEFAULT_PARAMS.get(name))
        if f"{{{name}}}" in path and source is not None:
            found[name] = world.values[source]
    return found


def send(case: Any, headers: dict[str, str]) -> Any:
    """The case through WSGI, in a savepoint rolled back afterwards."""
    try:
        with transaction.atomic():
            try:
                return case.call(headers=headers)
            finally:
                transaction.set_rollback(True)
    finally:
        live.forget()
        caches[settings.TRACKTWO_RATELIMIT_CACHE].clear()


def fuzzer(operation: Any, world: World, failures: list[str], counts: dict[str, int]) -> Any:
    """A Hypothesis test of one operation: each example as every caller."""
    real = real_parameters(operation.path, world)
    tokens = {role: world.people[role].token for role in CALLERS if role is not None}

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), aim=st.booleans())
    def fuzz(case: Any, aim: bool) -> None:
        if aim and real:
            case.path_parameters = {**(case.path_parameters or {}), **real}
        for role in CALLERS:
            headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
            response = send(case, headers)
            counts["requests"] += 1
            try:
                case.validate_response(response, checks=[not_a_server_error])
            except (AssertionError, FailureGroup):
                failures.append(
                    f"{operation.label} as {role or 'anonymous'}: {response.status_code} — "
                    f"{case.as_curl_command()}"
                )

    return fuzz


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction; Django's own test client turns that off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def flask_known_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    """schemathesis imports Flask on every WSGI call (to catch a Flask application's
    exceptions); where Flask is not installed, each of the 8,000 failed imports searched the
    import path anew (about 2 s in all). Marked absent once, the import fails at once, as it
    would have anyway."""
    if importlib.util.find_spec("flask") is None:
        monkeypatch.setitem(sys.modules, "flask", None)


@pytest.mark.usefixtures("connection_kept_open", "flask_known_absent")
def test_it_survives_schemathesis(world: World) -> None:
    # the schema is for accounts only (DEBUG is off): read it with the convener's token
    reader = {"Authorization": f"Bearer {world.people[CONVENER].token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, headers=reader)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= len(API), "the schema lost operations"
    failures: list[str] = []
    counts = {"requests": 0}
    for operation in operations:
        fuzzer(operation, world, failures, counts)()
    assert counts["requests"] >= len(operations) * len(CALLERS), counts
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(sorted(set(failures)))
