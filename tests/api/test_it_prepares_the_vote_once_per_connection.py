"""On PostgreSQL the vote's ``INSERT ... SELECT`` is prepared once per connection and then
only executed; no other statement of the connection is prepared, and psycopg's automatic
preparation stays off, as Django leaves it."""

from __future__ import annotations

import pytest
from api_support import Scene
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracktwo.dialogues.models import Vote

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_it_prepares_the_vote_once_per_connection(scene: Scene) -> None:
    sid = scene.seed("Prepare me once.")
    token = scene.join("Alice")["participant_token"]
    with CaptureQueriesContext(connection) as queries:
        for choice in ("agree", "disagree", "pass"):
            path = f"/dialogues/{scene.id}/votes"
            assert scene.api.post(path, token, {"statement": sid, "vote": choice}).status == 201
    # Logged as Django logs any statement: the SQL with its values in it.
    assert all(
        q["sql"].startswith('INSERT INTO "dialogues_vote"') for q in queries.captured_queries
    )
    assert "%(" not in queries.captured_queries[0]["sql"]  # values, not placeholders
    for _ in range(10):  # ordinary queries, many times: never prepared
        assert Vote.objects.filter(statement_id=sid).count() == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    assert len(prepared) == 1, prepared
    statement, executions = prepared[0]
    assert statement.startswith('INSERT INTO "dialogues_vote"')
    assert executions == 3  # prepared by the first vote, executed by all three
    assert connection.connection.prepare_threshold is None
    assert [v.value for v in Vote.objects.order_by("pk")] == [1, -1, 0]
