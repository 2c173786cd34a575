"""Every URL pattern and API operation, as every role: allowed where the matrix says, denied
everywhere else (tests/security/matrix.py holds the classification).

The two tests over the world share one (``module_world``: made once for the module, rolled
back after its last test, each test in a savepoint of its own); every request they send
runs in a savepoint rolled back after it (security_requests)."""

from __future__ import annotations

import pytest
from matrix import API, EVERYONE, PAGES, PROBES, Route, Rule
from security_requests import (
    Answer,
    Request,
    api_operations,
    api_url,
    call,
    page_url,
    requests,
    url_patterns,
)
from security_world import ROLES, ModuleWorld

MATRIX_FILE = "tests/security/matrix.py"


def test_it_classifies_every_route_and_only_existing_ones() -> None:
    patterns = url_patterns()
    operations = api_operations()
    pages = {p.key for p in patterns if not p.is_api}
    api_urls = {p.key for p in patterns if p.is_api}
    problems = [
        f"unclassified route: page {key!r} ({next(p.route for p in patterns if p.key == key)})"
        f" — add it to {MATRIX_FILE}"
        for key in sorted(pages - PAGES.keys())
    ]
    problems += [
        f"classified route no longer exists: page {key!r} — remove it from {MATRIX_FILE}"
        for key in sorted(PAGES.keys() - pages)
    ]
    problems += [
        f"API URL {path} is missing from /api/v1/openapi.json"
        for path in sorted(api_urls - operations.keys())
    ]
    for path, methods in sorted(operations.items()):
        route = API.get(path)
        known = set(route.methods) if route else set()
        problems += [
            f"unclassified route: {method} {path} — add it to {MATRIX_FILE}"
            for method in sorted(methods - known)
        ]
        problems += [
            f"classified route no longer exists: {method} {path} — remove it from {MATRIX_FILE}"
            for method in sorted(known - methods)
        ]
    problems += [
        f"classified route no longer exists: {path} — remove it from {MATRIX_FILE}"
        for path in sorted(API.keys() - operations.keys())
    ]
    assert not problems, "\n".join(problems)


def verdict(request: Request, role: str, answer: Answer) -> str | None:
    """What is wrong with ``answer`` for ``role``, or None."""
    rule = request.rule
    said = f"{answer.status}" + (f" -> {answer.location}" if answer.location else "")
    if rule is not None and role in rule.allow:
        if answer.status not in rule.ok:
            return f"allowed, expected {sorted(rule.ok)}, got {said}"
        if rule.allow != EVERYONE and answer.denied():
            return f"allowed, but sent to sign in: {said}"
        return None
    if answer.denied():
        return None
    if rule is not None and role in rule.quiet:
        if answer.status >= 500:
            return f"expected a quiet refusal, got {said}"
        if answer.changed:
            return f"must be refused, but the request changed {answer.changed} ({said})"
        return None
    return f"must be denied, got {said}"


@pytest.mark.django_db
def test_it_enforces_the_authorisation_matrix(module_world: ModuleWorld) -> None:
    world = module_world.world
    problems: list[str] = []
    count = 0
    for request in requests(world, PAGES, API):
        for role in ROLES:
            rule = request.rule
            watch = rule is not None and role in rule.quiet
            answer = call(request, world.people[role], world, watch=watch)
            count += 1
            wrong = verdict(request, role, answer)
            if wrong is not None:
                problems.append(
                    f"{request.method} {request.url} ({request.key}) as {role}: {wrong}"
                )
    assert count > 500, f"only {count} requests: did the walk find the routes?"
    assert not problems, f"{len(problems)} of {count} requests wrong:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_it_refuses_other_peoples_objects_named_in_a_body(module_world: ModuleWorld) -> None:
    world = module_world.world
    problems: list[str] = []
    for probe in PROBES:
        table = PAGES if probe.kind == "page" else API
        base = table[probe.key]
        route = Route(base.methods, {**base.params, **probe.params})
        rule = Rule(frozenset(), data=probe.data, query=probe.query)
        if probe.kind == "page":
            pattern = next(p for p in url_patterns() if p.key == probe.key)
            url = page_url(probe.key, pattern, route, world)
        else:
            url = api_url(probe.key, route, world)
        request = Request(probe.kind, probe.key, probe.method, url, rule)
        answer = call(request, world.people[probe.role], world, watch=True)
        said = f"{answer.status}" + (f" -> {answer.location}" if answer.location else "")
        where = f"{probe.method} {url} {dict(probe.data or {})} as {probe.role}"
        if answer.changed:
            problems.append(f"{where}: changed {answer.changed} ({said})")
        if answer.status >= 500 or (probe.kind == "api" and not 400 <= answer.status < 500):
            problems.append(f"{where}: expected a refusal, got {said}")
    assert not problems, "\n".join(problems)
