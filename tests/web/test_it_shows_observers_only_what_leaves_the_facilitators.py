"""Observers look on but do not run the dialogue: their dashboard (page, live fragment and
API analysis) is what leaves the facilitators -- small cells withheld, results in batches,
no map of individual participants, no vote counts that tick with each vote."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from web_support import World, signed_in, text_of

from tracktwo.accounts.actions import issue_token
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Participant, Statement, Vote
from tracktwo.insight import service as live

pytestmark = pytest.mark.django_db

TEXTS = ("Both valleys need clean water.", "The dam should stay.", "Release more water.")


@pytest.fixture(autouse=True)
def _fresh_live_cache() -> None:
    live.forget()


def _populate(world: World) -> tuple[list[Statement], list[Participant]]:
    """Seven Upstream participants and three Downstream (fewer than the threshold of 5)."""
    statements = [world.seed(text) for text in TEXTS]
    people = []
    for side, count in ((0, 7), (1, 3)):
        for n in range(count):
            joined = actions.join(world.invite(side), f"canary-{side}-{n}", True)
            people.append(joined.participant)
            for statement, value in zip(statements, (1, 1 - 2 * side, 2 * side - 1), strict=True):
                actions.cast_vote(joined.participant, statement.pk, value)
    return statements, people


def _version(page: str) -> str:
    found = re.search(r'data-version="([0-9a-f]*)"', page)
    assert found is not None
    return found.group(1)


def test_it_withholds_small_cells_and_the_map_from_observers(world: World) -> None:
    _populate(world)
    url = f"/dialogues/{world.dialogue.pk}/dashboard"
    facilitator = signed_in(world.facilitator).get(url).content.decode()
    assert re.search(r'Downstream</th><td class="num">3</td>', facilitator)
    assert re.search(r'<circle cx="[\d.]+" cy="[\d.]+" r="4"', facilitator)
    observer = signed_in(world.observer).get(url).content.decode()
    assert not re.search(r'Downstream</th><td class="num">3</td>', observer)
    downstream = observer[observer.index("Downstream</th>") :]
    assert downstream.startswith('Downstream</th><td class="num"><span class="suppressed">')
    assert "You observe this dialogue" in text_of(observer)
    assert not re.search(r'<circle cx="[\d.]+" cy="[\d.]+" r="4"', observer)
    assert "data-total-votes" not in observer and "canary-" not in observer
    body = observer[observer.index('id="participation-heading"') :]
    for cell in re.findall(r'<td class="num">(\d+)</td>', body):
        assert int(cell) == 0 or int(cell) >= world.dialogue.small_cell_threshold, cell


def test_it_does_not_let_an_observer_see_a_single_vote_arrive(world: World) -> None:
    statements, people = _populate(world)
    fragment = f"/dialogues/{world.dialogue.pk}/dashboard/live"
    extra = world.seed("Meet every month.")
    facilitator, observer = signed_in(world.facilitator), signed_in(world.observer)
    seen_by_facilitator = _version(facilitator.get(fragment).content.decode())
    seen_by_observer = _version(observer.get(fragment).content.decode())
    threshold = world.dialogue.small_cell_threshold
    assert Vote.objects.count() % threshold != threshold - 1  # the next vote completes no batch
    actions.cast_vote(people[0], extra.pk, 1)
    assert facilitator.get(fragment, {"since": seen_by_facilitator}).status_code == 200
    assert observer.get(fragment, {"since": seen_by_observer}).status_code == 204
    del statements


def test_it_answers_an_observer_the_participants_cut_of_the_analysis(world: World) -> None:
    _populate(world)
    url = f"/api/v1/dialogues/{world.dialogue.pk}/analysis"

    def analysis(user: object) -> dict[str, object]:
        token = issue_token(user, "test")[1]  # type: ignore[arg-type]
        response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(url)
        assert response.status_code == 200
        body: dict[str, object] = response.json()
        return body

    assert analysis(world.facilitator)["audience"] == "facilitator"
    watched = analysis(world.observer)
    assert watched["audience"] == "participant"
    assert "map" not in watched and "participation" not in watched
