"""The dashboard gives every statement it lists -- common ground across sides and across
groups, divides, bridging scores, what sets each group apart, divisive and uncertain ones --
support bars per side in plain view, and shows how the sides spread over the groups."""

from __future__ import annotations

import re

import pytest
from web_support import World, signed_in, text_of

from tracktwo.dialogues import actions
from tracktwo.insight import presentation as views_analysis
from tracktwo.insight import service as live

pytestmark = pytest.mark.django_db

SIDES = ("Upstream", "Downstream")
TEXTS = (
    "Both valleys need clean water.",
    "The dam should stay as it is.",
    "The dam should release more water.",
    "Meet every month.",
    "Share data.",
)


@pytest.fixture(autouse=True)
def _fresh_live_cache() -> None:
    live.forget()


def _populate(world: World, per_side: int = 6) -> None:
    statements = [world.seed(text) for text in TEXTS]
    for side in (0, 1):
        for n in range(per_side):
            joined = actions.join(world.invite(side), f"person-{side}-{n}", True)
            votes = [1, 1 if side == 0 else -1, -1 if side == 0 else 1, 1 if n % 2 else 0, 1]
            for statement, value in zip(statements, votes, strict=True):
                actions.cast_vote(joined.participant, statement.pk, value)


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start : end if end >= 0 else len(page)]


def _items(html: str) -> list[str]:
    """Each listed statement's markup, with closed <details> (hidden until opened) cut out."""
    chunks = html.split('<p class="statement-text">')[1:]
    return [re.sub(r"<details>.*?</details>", "", chunk, flags=re.S) for chunk in chunks]


def _bar_labels(item: str) -> list[str]:
    return re.findall(r'<span class="bar-label"[^>]*>([^<]+)</span>', item)


def test_it_shows_bars_per_side_beside_every_listed_statement(world: World) -> None:
    _populate(world)
    page = signed_in(world.facilitator).get(f"/dialogues/{world.dialogue.pk}/dashboard")
    html = page.content.decode()
    sections = {
        name: _items(_section(html, name))
        for name in (
            "cross-heading",
            "common-heading",
            "divisive-heading",
            "repness-heading",
            "uncertain-heading",
        )
    }
    assert sections["cross-heading"] and sections["common-heading"]
    assert sections["repness-heading"], "no representative statement to check"
    checked = 0
    for name, items in sections.items():
        for item in items:
            labels = _bar_labels(item)
            assert all(side in labels for side in SIDES), (name, item[:80], labels)
            checked += 1
    assert checked >= 8
    # What sets a group apart shows that group's bars too, beside the sides'.
    assert all("Group A" in _bar_labels(item) for item in sections["repness-heading"])


def test_it_counts_each_side_in_each_opinion_group(world: World) -> None:
    _populate(world)
    html = signed_in(world.facilitator).get(f"/dialogues/{world.dialogue.pk}/dashboard")
    page = html.content.decode()
    table = page[page.index('id="sides-groups-heading"') :]
    table = table[: table.index("</table>")]
    for side in SIDES:
        row = re.search(rf"<th scope=\"row\"[^>]*>{side}</th>(.*?)</tr>", table, flags=re.S)
        assert row is not None, side
        counts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row.group(1))]
        assert sum(counts) == 6, (side, counts)  # every voter of the side, grouped or not
    assert "Group A" in text_of(table) and "In no group yet" in text_of(table)
    assert "person-" not in page


def test_it_ranks_bridging_statements_by_their_score(world: World) -> None:
    _populate(world)
    payload = live.dialogue_analysis(world.dialogue, "facilitator")
    listed = views_analysis.sections(payload)["bridging"]
    texts = [item["text"] for item in listed]
    assert TEXTS[0] in texts and TEXTS[4] in texts  # everyone agrees: above the average
    assert TEXTS[1] not in texts and TEXTS[2] not in texts  # on the line that divides
    scores = [payload["bridging"][item["id"]]["intercept"] for item in listed]
    assert scores == sorted(scores, reverse=True)
    page = signed_in(world.facilitator).get(f"/dialogues/{world.dialogue.pk}/dashboard")
    assert "Highest bridging scores" in text_of(page.content)


def test_it_picks_heard_bridging_statements_off_the_dividing_line() -> None:
    def tally(n: int) -> dict[str, int]:
        return {"agree": n, "disagree": 0, "pass": 0, "n": n}

    heard = {"overall": tally(12), "sides": {"East": tally(6), "West": tally(6)}}
    barely = {"overall": tally(7), "sides": {"East": tally(6), "West": tally(1)}}
    ids = ("1", "2", "3", "4", "5")
    payload = {
        "support": {sid: heard for sid in ids} | {"5": barely},
        "statements": {sid: {"text": f"S{sid}"} for sid in ids},
        "cross_side": {"available": True, "settings": {"min_votes": 5}},
        "bridging": {
            "1": {"intercept": 0.2, "factor": 0.1, "bridges": False},
            "2": {"intercept": 0.5, "factor": -0.2, "bridges": True},
            "3": {"intercept": 0.6, "factor": 0.9, "bridges": False},  # divides
            "4": {"intercept": -0.1, "factor": 0.0, "bridges": False},  # below average
            "5": {"intercept": 0.8, "factor": 0.0, "bridges": True},  # West barely heard
            "6": {"intercept": 0.9, "factor": 0.0, "bridges": True},  # no bars: not listed
        },
    }
    listed = views_analysis.sections(payload)["bridging"]
    assert [(item["text"], item["bridges"]) for item in listed] == [("S2", True), ("S1", False)]
    assert views_analysis.sections({"support": {}})["bridging"] == []
