"""The live dashboard (participation, opinion map, common ground, support bars per side), its
refreshing fragment, the participant's own position, and results only when shared."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from web_support import World, participant_of, signed_in, text_of

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Participant, Statement
from tracktwo.insight import service as live

pytestmark = pytest.mark.django_db

AGREED_BY_ALL = "Both valleys need clean water."
UPSTREAM_VIEW = "The dam should stay as it is."
DOWNSTREAM_VIEW = "The dam should release more water."


@pytest.fixture(autouse=True)
def _fresh_live_cache() -> None:
    live.forget()


def _populate(world: World, per_side: int = 6) -> tuple[list[Statement], list[Participant]]:
    """Two sides with opposite views on two statements and shared support for a third."""
    texts = [AGREED_BY_ALL, UPSTREAM_VIEW, DOWNSTREAM_VIEW, "Meet every month.", "Share data."]
    statements = [world.seed(text) for text in texts]
    people: list[Participant] = []
    for side in (0, 1):
        for n in range(per_side):
            joined = actions.join(world.invite(side), f"person-{side}-{n}", True)
            people.append(joined.participant)
            votes = [1, 1 if side == 0 else -1, -1 if side == 0 else 1, 1 if n % 2 else 0, 1]
            for statement, value in zip(statements, votes, strict=True):
                actions.cast_vote(joined.participant, statement.pk, value)
    return statements, people


def test_it_draws_the_dashboard_with_map_common_ground_and_sides(world: World) -> None:
    _populate(world)
    client = signed_in(world.facilitator)
    page = client.get(f"/dialogues/{world.dialogue.pk}/dashboard").content.decode()
    text = text_of(page)
    assert "Participation" in text
    assert re.search(r"Upstream</th><td class=\"num\">6</td><td class=\"num\">6</td>", page)
    assert "<svg" in page and "Opinion map" in text
    dots = re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="4"', page)
    assert len(dots) == 12  # one anonymous dot per participant
    assert "person-0-0" not in page
    common = page[page.index('id="cross-heading"') : page.index('id="common-heading"')]
    assert AGREED_BY_ALL in common
    assert UPSTREAM_VIEW in common  # under "What divides the sides"
    assert "100% agree" in text_of(common)
    assert "Upstream" in common and "Downstream" in common  # bars per side
    assert '<script src="/static/js/dashboard.js" defer></script>' in page
    assert " style=" not in page and "<script>" not in page


def test_it_answers_the_fragment_only_when_something_changed(world: World) -> None:
    statements, people = _populate(world)
    client = signed_in(world.facilitator)
    url = f"/dialogues/{world.dialogue.pk}/dashboard/live"
    first = client.get(url)
    assert first.status_code == 200
    version = re.search(r'data-version="([0-9a-f]+)"', first.content.decode())
    assert version is not None
    assert client.get(url, {"since": version.group(1)}).status_code == 204
    assert client.get(url, {"since": "something-else"}).status_code == 200
    actions.cast_vote(people[0], statements[3].pk, -1)
    changed = client.get(url, {"since": version.group(1)})
    assert changed.status_code == 200
    assert "data-total-votes>61<" in changed.content.decode()


def test_it_shows_a_participant_only_their_own_place(world: World) -> None:
    statements, _ = _populate(world)
    client = world.join("Heron")
    for statement in statements:
        client.post(f"/d/{world.dialogue.pk}/vote", {"statement": statement.pk, "vote": "agree"})
    page = client.get(f"/d/{world.dialogue.pk}/me").content.decode()
    # Groups as shaded areas and one highlighted dot: theirs. No other person's dot.
    assert page.count('r="9"') == 1
    assert not re.search(r'<circle cx="[\d.]+" cy="[\d.]+" r="4"', page)
    assert "person-" not in page


def test_it_shows_results_only_once_shared(world: World) -> None:
    _populate(world)
    client = world.join("Heron")
    url = f"/d/{world.dialogue.pk}/results"
    hidden = client.get(url)
    assert hidden.status_code == 403
    assert "not shared the results yet" in text_of(hidden.content)
    assert f'href="{url}"' not in client.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    actions.share_results(world.dialogue, True, world.facilitator)
    shown = client.get(url)
    assert shown.status_code == 200
    assert AGREED_BY_ALL in text_of(shown.content)
    assert f'href="{url}"' in client.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    assert Client().get(url)["Location"] == "/recover"


def test_it_withholds_small_cells_from_participants(world: World) -> None:
    _populate(world, per_side=3)  # three per side: below the threshold of five
    actions.share_results(world.dialogue, True, world.facilitator)
    client = world.join("Heron")
    page = text_of(client.get(f"/d/{world.dialogue.pk}/results").content)
    assert "withheld (small group)" in page
    assert "100% agree" not in page  # no side's share is shown
    # The facilitators see the same statements unsuppressed.
    facilitator = signed_in(world.facilitator)
    dashboard = text_of(facilitator.get(f"/dialogues/{world.dialogue.pk}/dashboard").content)
    assert "100% agree" in dashboard


def test_it_orders_voting_by_the_engine(world: World) -> None:
    statements, _ = _populate(world)
    client = world.join("Heron")
    participant = participant_of(client)
    page = client.get(f"/d/{world.dialogue.pk}/vote").content.decode()
    shown = int(re.search(r'name="statement" value="(\d+)"', page).group(1))  # type: ignore[union-attr]
    assert shown in {s.pk for s in statements}
    assert f"{len(statements)} statements to go" in text_of(page)
    assert participant.votes.count() == 0
