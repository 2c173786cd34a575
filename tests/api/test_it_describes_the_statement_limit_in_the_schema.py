"""The OpenAPI schema states the same 1,000-character statement limit the server applies."""

from __future__ import annotations

import pytest
from api_support import Scene

from tracktwo.dialogues.actions.contributions import MAX_STATEMENT_CHARS
from tracktwo.site.api import api

pytestmark = pytest.mark.django_db


def test_it_states_the_servers_limit() -> None:
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert MAX_STATEMENT_CHARS == 1000
    assert schemas["StatementIn"]["properties"]["text"]["maxLength"] == 1000


def test_it_refuses_one_character_more_with_a_reason(scene: Scene) -> None:
    path = f"/dialogues/{scene.id}/statements"
    assert scene.api.post(path, scene.convener_token, {"text": "x" * 1000}).status == 201
    refused = scene.api.post(path, scene.convener_token, {"text": "x" * 1001})
    assert 400 <= refused.status < 500
    assert "detail" in refused.body
