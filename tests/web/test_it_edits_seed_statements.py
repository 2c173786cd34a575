"""A facilitator edits a seed statement from the moderation page (not only rejects it)."""

from __future__ import annotations

import pytest
from web_support import World, signed_in

from tracktwo.dialogues.models import Statement
from tracktwo.practice.formats import Moderation
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def test_it_edits_a_seed_statement(world: World) -> None:
    seed = world.seed("The river belongs to nobody.")
    client = signed_in(world.facilitator)
    page = client.get(f"/dialogues/{world.dialogue.pk}/moderation").content.decode()
    assert "Edit this seed statement" in page
    answer = client.post(
        f"/dialogues/{world.dialogue.pk}/moderation",
        {
            "action": "moderate",
            "statement": seed.pk,
            "state": "accepted",
            "redacted_text": "The river belongs to everyone.",
        },
    )
    assert answer.status_code == 302
    seed = Statement.objects.get(pk=seed.pk)
    assert seed.text.read(box_for(world.initiative.pk)) == "The river belongs to everyone."
    assert seed.moderation == Moderation.ACCEPTED
