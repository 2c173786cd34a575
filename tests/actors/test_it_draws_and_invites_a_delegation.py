"""A dialogue's delegation: pool, quotas, a reproducible audited draw, invitations in one step,
its balance (suppressed for observers), who is not in the room, paths to Track One."""

from __future__ import annotations

import pytest
from actors_support import ACTORS, QUOTAS, TIES, api, client_of, generated_pool
from factories import Workshop

from tracktwo.dialogues.models import Invitation
from tracktwo.initiatives.actors import actions, drawing, queries
from tracktwo.initiatives.actors.models import Actor, Candidate, Draw
from tracktwo.insight.delegation import balance
from tracktwo.practice.errors import InvalidInput
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.models import AuditEvent


def _ready(workshop: Workshop, size: int = 30) -> None:
    actions.import_pool(workshop.dialogue, workshop.convener, generated_pool(size, 1))
    actions.set_plan(
        workshop.dialogue, workshop.convener, QUOTAS, "category,value,target\ntrack,9,1\n"
    )


def _drawn(workshop: Workshop, draw: Draw) -> list[Candidate]:
    return list(Candidate.objects.filter(selected_in=draw))


def test_it_draws_within_the_quotas_one_per_household_from_consenting_candidates(
    workshop: Workshop,
) -> None:
    _ready(workshop)
    made = drawing.draw(workshop.dialogue, workshop.convener, 6, seed=17)
    box = box_for(workshop.initiative.pk)
    chosen = _drawn(workshop, made)
    assert len(chosen) == 6 and all(c.consent for c in chosen)
    sides = [c.party_id for c in chosen]
    assert sides.count(workshop.parties[0].pk) == 3 and sides.count(workshop.parties[1].pk) == 3
    genders = [c.values.read(box)["gender"] for c in chosen]
    assert 2 <= genders.count("woman") <= 4
    homes = [c.household.read(box) for c in chosen if c.household.read(box)]
    assert len(homes) == len(set(homes))
    result = made.result.read(box)
    assert sum(result["probabilities"].values()) == pytest.approx(6, abs=1e-6)
    declined = Candidate.objects.filter(dialogue=workshop.dialogue, consent=False)
    assert all(str(c.pk) not in result["probabilities"] for c in declined)
    event = AuditEvent.objects.get(action="delegation.drawn")
    assert event.details["seed"] == 17 and event.details["draw"] == made.pk
    again = drawing.draw(workshop.dialogue, workshop.convener, 6, seed=17)
    assert {c.pk for c in _drawn(workshop, again)} == {c.pk for c in chosen}


def test_it_records_a_seed_it_chose_itself(workshop: Workshop) -> None:
    _ready(workshop)
    made = drawing.draw(workshop.dialogue, workshop.convener, 6)
    assert 1 <= made.seed < 2**31


def test_it_names_the_quota_the_pool_cannot_meet(workshop: Workshop) -> None:
    _ready(workshop)
    actions.set_plan(
        workshop.dialogue,
        workshop.convener,
        QUOTAS.replace("side,Upstream,3,3", "side,Upstream,14,15"),
    )
    with pytest.raises(InvalidInput, match="quota side=Upstream cannot be met"):
        drawing.draw(workshop.dialogue, workshop.convener, 6, seed=1)
    assert not Draw.objects.exists()


def test_it_invites_the_drawn_delegation_in_one_step(workshop: Workshop) -> None:
    _ready(workshop)
    made = drawing.draw(workshop.dialogue, workshop.convener, 6, seed=3)
    sent = drawing.invite_drawn(workshop.dialogue, workshop.convener, made.pk)
    assert len(sent) == 6 and all(token.startswith("t2i_") for _c, token in sent)
    box = box_for(workshop.initiative.pk)
    invitations = Invitation.objects.filter(dialogue=workshop.dialogue)
    assert invitations.count() == 6
    assert {i.terms.read(box)["party"] for i in invitations} == {p.pk for p in workshop.parties}
    assert all(i.identity.read(box)["real_name"].startswith("Person ") for i in invitations)
    assert drawing.invite_drawn(workshop.dialogue, workshop.convener, made.pk) == []  # not twice


def test_it_counts_the_balance_and_withholds_small_cells_for_observers(workshop: Workshop) -> None:
    workshop.cast("facilitator", "observer")
    _ready(workshop)
    drawing.draw(workshop.dialogue, workshop.convener, 6, seed=5)
    full = balance(workshop.dialogue, None)["pending"]  # drawn, nobody joined yet
    sides = dict(next(c for c in full["categories"] if c["key"] == "side")["rows"])
    assert full["total"] == 6 and sides == {"Downstream": 3, "Upstream": 3}
    assert [c["key"] for c in full["categories"]] == ["side", "track", "gender", "region", "level"]
    route = f"/api/v1/dialogues/{workshop.dialogue.pk}/delegation/balance"
    seen = client_of(workshop, "observer").get(route, **api(workshop, "observer")).json()
    assert seen["pending"]["categories"]["side"] == {"Downstream": None, "Upstream": None}
    ran = client_of(workshop, "facilitator").get(route, **api(workshop, "facilitator")).json()
    assert ran["pending"]["categories"]["side"] == {"Downstream": 3, "Upstream": 3}
    assert ran["total"] == 0  # nobody in the room yet
    page = client_of(workshop, "observer").get(f"/dialogues/{workshop.dialogue.pk}/dashboard")
    assert b"Drawn but not yet joined" in page.content


def test_it_names_who_is_not_in_the_room_and_paths_to_track_one(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    farmers = Actor.objects.get(kind="organisation")
    pool = generated_pool(30, 1).replace("p0,Person 0,Upstream", "p0,Person 0,Upstream", 1)
    lines = pool.splitlines()
    lines[0] += ",actor"
    lines[1:] = [line + (f",{farmers.pk}" if n == 0 else ",") for n, line in enumerate(lines[1:])]
    actions.import_pool(workshop.dialogue, workshop.convener, "\n".join(lines) + "\n")
    actions.set_plan(
        workshop.dialogue,
        workshop.convener,
        QUOTAS.replace("side,Upstream,3,3", "side,Upstream,3,3"),
        "category,value,target\ngender,woman,6\n",
    )
    first = Candidate.objects.get(actor=farmers)
    drawing.draw(workshop.dialogue, workshop.convener, 6, seed=1)
    Candidate.objects.filter(pk=first.pk).update(selected_in=queries.latest_draw(workshop.dialogue))
    gaps = {(g["category"], g["value"]) for g in queries.gaps(workshop.dialogue)}
    assert ("track", "7") in gaps and ("track", "1.5") in gaps and ("gender", "woman") in gaps
    assert queries.track_one_paths(workshop.dialogue) == [
        ["Valley Farmers Union", "Advisor Bruno", "Minister Odile"]
    ]


def test_it_includes_hardliners_on_purpose_when_a_quota_asks(workshop: Workshop) -> None:
    _ready(workshop)
    quotas = QUOTAS + "hardliner,yes,2,2\nhardliner,no,4,4\n"
    actions.set_plan(workshop.dialogue, workshop.convener, quotas)
    made = drawing.draw(workshop.dialogue, workshop.convener, 6, seed=8)
    assert sum(c.hardliner for c in _drawn(workshop, made)) == 2


def test_it_puts_the_suppressed_balance_in_the_brief(workshop: Workshop) -> None:
    _ready(workshop)
    drawing.draw(workshop.dialogue, workshop.convener, 6, seed=5)
    route = f"/api/v1/dialogues/{workshop.dialogue.pk}/brief?format=md"
    brief = client_of(workshop, "convener").get(route, **api(workshop, "convener"))
    text = brief.content.decode()
    assert brief.status_code == 200 and "drawn by a fair lottery under quotas" in text
    assert "side: Downstream withheld, Upstream withheld" in text  # 3 each, below 5
    assert "Person " not in text


def test_it_takes_candidates_from_the_actor_map_and_screens_them(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    assert actions.add_actors_to_pool(workshop.dialogue, workshop.convener) == 3  # people only
    assert actions.add_actors_to_pool(workshop.dialogue, workshop.convener) == 0  # not twice
    box = box_for(workshop.initiative.pk)
    karim = next(c for c in Candidate.objects.all() if c.name.read(box) == "Imam Karim")
    assert not karim.consent and karim.values.read(box)["track"] == "7"
    client = client_of(workshop, "convener")
    url = f"/dialogues/{workshop.dialogue.pk}/delegation"
    answer = client.post(
        url,
        {
            "action": "screen",
            "candidate": karim.pk,
            "consent": "on",
            "hardliner": "on",
            "credibility": "3",
            "screening": "Willing; listens.",
        },
        follow=True,
    )
    assert b"The screening is saved." in answer.content
    karim.refresh_from_db()
    assert karim.consent and karim.hardliner and karim.credibility == 3
    assert karim.screening.read(box) == "Willing; listens."
    with pytest.raises(InvalidInput, match="credibility"):
        actions.screen(workshop.dialogue, workshop.convener, karim.pk, {"credibility": 7})
