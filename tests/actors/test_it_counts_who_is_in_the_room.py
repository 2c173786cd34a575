"""Who is in the room: the present participants (not withdrawn) by side, track, gender,
region and level, with the drawn delegates not yet joined shown apart; suppressed for
observers and in briefs by the one suppression."""

from __future__ import annotations

from actors_support import QUOTAS, api, client_of, generated_pool
from factories import Workshop

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.initiatives.actors import actions, drawing, queries
from tracktwo.initiatives.actors.models import Candidate
from tracktwo.insight.delegation import balance, brief_lines
from tracktwo.safety.datakeys import box_for


def _room(workshop: Workshop) -> tuple[str, str]:
    """Three present participants, one withdrawn; a drawn delegation of 6, two of whom join.
    Returns the levels of the two delegates who joined."""
    workshop.join("canary-alpha", 0, gender="female", region="north")
    workshop.join("canary-beta", 0, gender="female", region="north")
    dialogue_actions.join(
        workshop.invite(1, track=4), "canary-gamma", True, gender="male", region="south"
    )
    gone = workshop.join("canary-delta", 1, gender="male", region="east")
    dialogue_actions.withdraw(gone.participant)
    actions.import_pool(workshop.dialogue, workshop.convener, generated_pool(30, 1))
    actions.set_plan(workshop.dialogue, workshop.convener, QUOTAS)
    made = drawing.draw(workshop.dialogue, workshop.convener, 6, seed=5)
    sent = drawing.invite_drawn(workshop.dialogue, workshop.convener, made.pk)
    box = box_for(workshop.initiative.pk)
    levels = []
    for n, (candidate, token) in enumerate(sent[:2]):
        dialogue_actions.join(token, f"delegate {n}", True)
        levels.append(Candidate.objects.get(pk=candidate.pk).values.read(box)["level"])
    return levels[0], levels[1]


def _rows(found: dict[str, object], key: str) -> dict[str, int | None]:
    categories = found["categories"]
    assert isinstance(categories, list)
    return dict(next(c for c in categories if c["key"] == key)["rows"])


def test_it_counts_the_present_participants_and_the_delegates_not_yet_joined(
    workshop: Workshop,
) -> None:
    first, second = _room(workshop)
    full = balance(workshop.dialogue, None)
    assert full["drawn"] and full["total"] == 5  # 3 present + 2 delegates; the withdrawn not
    gender = _rows(full, "gender")
    assert gender["Woman"] == 2 and "east" not in _rows(full, "region")
    assert _rows(full, "region")["north"] >= 2 and _rows(full, "region")["south"] >= 1
    track = _rows(full, "track")
    assert track["Track 4: private citizens"] == 1
    level = _rows(full, "level")
    assert level["not recorded"] == 3
    expected: dict[str, int] = {}
    for value in (first, second):
        label = {"top": "Top leadership", "middle": "Middle-range leadership"}.get(
            value, "Grassroots leadership"
        )
        expected[label] = expected.get(label, 0) + 1
    assert {k: v for k, v in level.items() if k != "not recorded"} == expected
    pending = full["pending"]
    assert pending["total"] == 4
    assert sum(n for _label, n in pending["categories"][0]["rows"]) == 4  # by side


def test_it_withholds_small_counts_for_observers_in_the_api_and_the_brief(
    workshop: Workshop,
) -> None:
    workshop.cast("facilitator", "observer")
    _room(workshop)
    route = f"/api/v1/dialogues/{workshop.dialogue.pk}/delegation/balance"
    seen = client_of(workshop, "observer").get(route, **api(workshop, "observer")).json()
    assert seen["categories"]["level"]["not recorded"] is None  # 3 < 5
    assert all(n is None for n in seen["pending"]["categories"]["side"].values())  # 2 + 2
    ran = client_of(workshop, "facilitator").get(route, **api(workshop, "facilitator")).json()
    assert ran["total"] == 5 and ran["categories"]["level"]["not recorded"] == 3
    assert ran["pending"]["total"] == 4
    page = client_of(workshop, "observer").get(f"/dialogues/{workshop.dialogue.pk}/dashboard")
    text = page.content.decode()
    assert "Who is in the room" in text and "Drawn but not yet joined" in text
    assert "canary" not in text and "Person " not in text
    lines = brief_lines(workshop.dialogue, workshop.dialogue.small_cell_threshold)
    assert lines[0].startswith("In the room: 5 participants;")
    assert "level: not recorded withheld" in lines[0]
    assert "drawn but not yet joined" in lines[1]
    assert not any("canary" in line or "Person " in line for line in lines)


def test_it_names_who_is_not_in_the_room_from_the_present_participants(
    workshop: Workshop,
) -> None:
    _room(workshop)
    actions.set_plan(
        workshop.dialogue,
        workshop.convener,
        QUOTAS,
        "category,value,target\nregion,north,2\nregion,east,1\ntrack,4,2\n",
    )
    gaps = {(g["category"], g["value"]): g["present"] for g in queries.gaps(workshop.dialogue)}
    assert ("region", "north") not in gaps  # two present participants from the north
    assert gaps[("region", "east")] == 0  # the one from the east withdrew
    assert gaps[("track", "4")] == 1
