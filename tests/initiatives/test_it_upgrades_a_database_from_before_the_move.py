"""Initiatives moved from the dialogues app to their own: an existing database upgrades as is.

The migration is state only, so a database from before the move keeps its rows, and the
sealed values written then still open (their associated data names ``dialogues.*``).
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tracktwo.initiatives.models import Initiative, Party
from tracktwo.safety.datakeys import box_for, create_data_key

BEFORE = [
    ("dialogues", "0003_invitation_revoked_at"),
    ("safety", "0001_initial"),
    ("transfer", "0001_initial"),
]


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_it_keeps_rows_and_sealed_values_across_the_move() -> None:
    executor = _migrate([*BEFORE, ("initiatives", None)])
    old = executor.loader.project_state(BEFORE).apps
    old_initiative = old.get_model("dialogues", "Initiative").objects.create()
    old_party = old.get_model("dialogues", "Party").objects.create(
        initiative_id=old_initiative.pk, position=1
    )
    with transaction.atomic():
        box = create_data_key(old_initiative.pk)
    title = Initiative.title.seal(box, "Sharing the river")
    name = Party.name.seal(box, "Upstream")
    type(old_initiative).objects.filter(pk=old_initiative.pk).update(title_sealed=title)
    type(old_party).objects.filter(pk=old_party.pk).update(name_sealed=name)

    _migrate(executor.loader.graph.leaf_nodes())

    initiative = Initiative.objects.get(pk=old_initiative.pk)
    assert initiative.title.read(box_for(initiative.pk)) == "Sharing the river"
    assert [p.name.read(box_for(initiative.pk)) for p in initiative.parties.all()] == ["Upstream"]
