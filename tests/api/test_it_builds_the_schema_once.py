"""The API's schema is built once per process (per path prefix), at its first request: the
same document as a fresh build, served again and again without walking every operation's
models each time."""

from __future__ import annotations

from typing import Any

import pytest
from ninja import main as ninja_main

from tracktwo.site.api import api


def test_it_builds_the_schema_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(api.__dict__, "_schemas", raising=False)
    builds: list[str] = []
    build = ninja_main.get_schema

    def counted(**kwargs: Any) -> Any:
        builds.append(kwargs["path_prefix"])
        return build(**kwargs)

    monkeypatch.setattr(ninja_main, "get_schema", counted)
    first = api.get_openapi_schema()
    again = api.get_openapi_schema(path_params={})
    assert again is first
    assert len(builds) == 1
    other = api.get_openapi_schema(path_prefix="/elsewhere/")
    assert builds == [builds[0], "/elsewhere/"] and other is not first

    monkeypatch.setitem(api.__dict__, "_schemas", {})
    fresh = api.get_openapi_schema()
    assert fresh == first and fresh is not first  # the same document as a new build
