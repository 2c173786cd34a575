"""Every route of the API, with each of its methods, is documented in docs/api.md: outside
clients script against that page."""

from __future__ import annotations

import re
from pathlib import Path

from tracktwo.site.api import api

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _shape(path: str) -> str:
    """``/dialogues/{id}/meetings/{number}`` and ``.../{n}`` are the same route."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_it_documents_every_route_and_method() -> None:
    documented = {
        (method, _shape(path))
        for methods, path in re.findall(
            r"((?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (/[^\s`?|]*)",
            DOC.read_text(),
        )
        for method in methods.split("/")
    }
    missing = [
        f"{method.upper()} {path}"
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if (method.upper(), _shape(path.removeprefix("/api/v1"))) not in documented
    ]
    assert missing == []
