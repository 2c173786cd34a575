"""The live dashboard's sections and opinion map are drawn once per analysis (and language)
in a process: polls that find the same analysis -- other facilitators' dashboards, or
polls where only the participation table ticked -- reuse them; a new analysis is drawn anew."""

from __future__ import annotations

from typing import Any

import pytest
from web_support import World, signed_in

from tracktwo.dialogues import actions
from tracktwo.insight import presentation, views
from tracktwo.insight import service as live

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_live_cache() -> None:
    live.forget()
    views._drawn.clear()


def test_it_reuses_the_drawn_map_until_the_analysis_changes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = [world.seed(f"Statement {i}") for i in range(4)]
    people = []
    for side in (0, 1):
        for n in range(5):
            joined = actions.join(world.invite(side), f"person-{side}-{n}", True).participant
            people.append(joined)
            for i, statement in enumerate(statements):
                actions.cast_vote(joined, statement.pk, 1 if (i + side) % 2 else -1)
    drawn: list[Any] = []
    real = presentation.facilitator_map

    def counting(insight: Any) -> str:
        drawn.append(insight)
        return real(insight)

    monkeypatch.setattr(presentation, "facilitator_map", counting)
    url = f"/dialogues/{world.dialogue.pk}/dashboard/live"
    first = signed_in(world.facilitator).get(url)
    second = signed_in(world.facilitator).get(url)  # another facilitator's dashboard
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and b"<svg" in first.content
    assert len(drawn) == 1
    actions.cast_vote(people[0], statements[0].pk, 1)  # a new analysis
    third = signed_in(world.facilitator).get(url)
    assert third.status_code == 200 and len(drawn) == 2
