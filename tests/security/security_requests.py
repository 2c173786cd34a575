"""Walk every URL pattern and API operation, fill its parameters from the world, call it.

Each call runs in a savepoint that is rolled back afterwards, and the client's cookies,
the live analysis cache and the rate-limit counters are restored, so every (route,
method, role) is asked against the same world: a withdrawal or a deletion by one role
does not change what the next role sees.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from matrix import DEFAULT_PARAMS, Route, Rule
from security_world import IP, Person, World

from tracktwo.dialogues.api import vote_route
from tracktwo.insight import service as live
from tracktwo.site.api import api

API_PREFIX = "/api/v1"
DENIED = frozenset({401, 403, 404, 405})
_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Pattern:
    """One URL pattern: its key in ``PAGES`` or, for an API operation's URL, its OpenAPI path."""

    key: str
    route: str  # the full Django route, e.g. "d/<int:dialogue_id>/vote"
    is_api: bool


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the site, recursively (the API's included)."""
    found: list[Pattern] = []

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
                continue
            assert isinstance(entry, URLPattern)
            route = prefix + str(entry.pattern)
            module = getattr(entry.callback, "__module__", "") or ""
            # the vote's lane ahead of django-ninja answers an API operation's own URL: probed
            # (and classified) as that operation, through the same URL
            if module.startswith("ninja.operation") or module == vote_route.__name__:
                path = "/" + _PARAM.sub(r"{\1}", route)
                found.append(Pattern(path, route, True))
            else:
                name = entry.name or route
                key = f"{namespace}:{name}" if namespace else name
                found.append(Pattern(key, route, False))

    walk(get_resolver().url_patterns, "", None)
    return found


@functools.cache
def api_operations() -> Mapping[str, frozenset[str]]:
    """The OpenAPI schema's operations: path -> upper-case methods (built once a process:
    the schema comes from the code alone, and building it takes a third of a second)."""
    schema = api.get_openapi_schema()
    operations = {path: frozenset(m.upper() for m in ops) for path, ops in schema["paths"].items()}
    return MappingProxyType(operations)


def fill(value: Any, world: World) -> Any:
    """A body or parameter with ``"{name}"`` strings taken from ``world.values``."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in world.values:
            return world.values[value[1:-1]]
        return value
    if isinstance(value, dict):
        return {_key(k, world): fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    return value


def _key(key: str, world: World) -> str:
    """A form field name such as ``send_{liaison_user}`` with the value put in."""
    return re.sub(r"{(\w+)}", lambda m: str(world.values[m.group(1)]), key)


def param(name: str, route: Route, world: World) -> str:
    source = route.params.get(name, DEFAULT_PARAMS.get(name))
    assert source is not None, f"no value for the path parameter {name!r}: add it to params"
    if source.startswith("="):
        return source[1:]
    return str(world.values[source])


def page_url(key: str, pattern: Pattern, route: Route, world: World) -> str:
    names = _PARAM.findall(pattern.route)
    kwargs = {name: param(name, route, world) for name in names}
    return reverse(key, kwargs=kwargs) if kwargs else reverse(key)


def api_url(path: str, route: Route, world: World) -> str:
    return re.sub(r"{(\w+)}", lambda m: param(m.group(1), route, world), path)


@dataclass
class Answer:
    status: int
    location: str
    content_type: str
    body: bytes
    changed: list[str] | None = None  # the tables the request changed, when watched

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def denied(self) -> bool:
        """401/403/404/405, or sent to sign in (accounts) or to recover (participants)."""
        if self.status in DENIED:
            return True
        return self.status in (301, 302, 303, 307) and self.sends_to_sign_in()

    def sends_to_sign_in(self) -> bool:
        path = urlsplit(self.location).path
        return path in {settings.LOGIN_URL, reverse("dialogues:recover")}


_api_client = Client(REMOTE_ADDR=IP)


VOLATILE_FIELDS = {"last_used_at", "last_seen_at", "last_seen", "updated_at"}
VOLATILE_MODELS = {"accounts.usersession"}


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of tracktwo's own tables (not sessions, not "last used" times)."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    for app in ("accounts", "dialogues", "safety", "transfer"):
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if label in VOLATILE_MODELS:
                continue
            names = [
                f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE_FIELDS
            ]
            rows = model._default_manager.order_by("pk").values_list(*names)
            state[label] = [tuple(map(_plain, row)) for row in rows]
    return state


def _plain(value: Any) -> str:
    return bytes(value).hex() if isinstance(value, memoryview | bytes) else str(value)


def _isolated(client: Client, send: Any, watch: bool = False) -> Any:
    """``send()`` in a savepoint rolled back afterwards; with ``watch``, also whether it
    changed the database."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            try:
                before = database_state() if watch else None
                response = send()
                if watch:
                    response.changed = [
                        label
                        for label, rows in database_state().items()
                        if before is not None and rows != before.get(label)
                    ]
                return response
            finally:
                transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        live.forget()
        caches[settings.TRACKTWO_RATELIMIT_CACHE].clear()


def _answer(response: Any) -> Answer:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return Answer(
        response.status_code,
        response.get("Location", ""),
        response.get("Content-Type", ""),
        body,
        getattr(response, "changed", None),
    )


def call_page(
    person: Person, method: str, url: str, rule: Rule | None, world: World, watch: bool = False
) -> Answer:
    client = person.client
    data = fill(dict(rule.data), world) if rule is not None and rule.data else {}
    query = f"?{rule.query}" if rule is not None and rule.query else ""

    def send() -> Any:
        if method == "GET":
            return client.get(url + query)
        return client.generic(
            method,
            url + query,
            _form(data),
            content_type="application/x-www-form-urlencoded",
        )

    return _answer(_isolated(client, send, watch))


def _form(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: str(v) for k, v in data.items()})


def call_api(
    person: Person,
    method: str,
    url: str,
    rule: Rule | None,
    world: World,
    watch: bool = False,
    session: bool = False,
) -> Answer:
    """The API with the person's bearer token or, with ``session``, their browser session."""
    client = person.client if session else _api_client
    headers = {"HTTP_AUTHORIZATION": f"Bearer {person.token}"} if person.token else {}
    if session:
        headers = {}
    body = fill(rule.data, world) if rule is not None and rule.data is not None else None
    query = f"?{rule.query}" if rule is not None and rule.query else ""

    def send() -> Any:
        if method == "GET":
            return client.get(url + query, **headers)
        payload = json.dumps(body) if body is not None else ""
        return client.generic(
            method, url + query, payload, content_type="application/json", **headers
        )

    return _answer(_isolated(client, send, watch))


@dataclass(frozen=True)
class Request:
    """One request of the matrix: a route's method, as one role."""

    kind: str  # "page" or "api"
    key: str
    method: str
    url: str
    rule: Rule | None


PAGE_METHODS = ("GET", "POST")


def requests(world: World, pages: dict[str, Route], apis: dict[str, Route]) -> Iterator[Request]:
    """Every classified route that exists: pages with GET and POST, API operations with the
    methods of the OpenAPI schema."""
    seen: set[str] = set()
    for pattern in url_patterns():
        if pattern.is_api or pattern.key in seen or pattern.key not in pages:
            continue
        seen.add(pattern.key)
        route = pages[pattern.key]
        url = page_url(pattern.key, pattern, route, world)
        for method in PAGE_METHODS:
            yield Request("page", pattern.key, method, url, route.methods.get(method))
    for path, operations in sorted(api_operations().items()):
        if path not in apis:
            continue
        route = apis[path]
        url = api_url(path, route, world)
        for method in sorted(operations):
            yield Request("api", path, method, url, route.methods.get(method))


def call(
    request: Request, person: Person, world: World, watch: bool = False, session: bool = False
) -> Answer:
    """The request as ``person``: pages with their browser session, the API with their
    bearer token or, with ``session``, their browser session."""
    if request.kind == "page":
        return call_page(person, request.method, request.url, request.rule, world, watch)
    return call_api(person, request.method, request.url, request.rule, world, watch, session)
