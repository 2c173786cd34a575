"""Conveners edit and delete actors and relationships on the actor map page: the changes
are sealed again, audited with ids only, and deleting an actor removes its relationships."""

from __future__ import annotations

import pytest
from actors_support import ACTORS, TIES, client_of
from factories import Workshop, make_workshop

from tracktwo.initiatives.actors import actions, editing, queries
from tracktwo.initiatives.actors.models import Actor, ActorTie, Candidate
from tracktwo.practice.errors import InvalidInput
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.models import AuditEvent

CANARY = "Canary Quetzalcoatl"


def _actor(name: str, workshop: Workshop) -> Actor:
    box = box_for(workshop.initiative.pk)
    return next(a for a in Actor.objects.all() if a.name.read(box) == name)


def _fields(**changes: str) -> dict[str, str]:
    base = {
        "name": "Minister Odile",
        "kind": "person",
        "side": "Downstream",
        "track": "1.5",
        "level": "middle",
        "influence": "2",
        "access": "1",
        "decision_maker": "no",
        "gender": "woman",
        "region": "south",
    }
    return {**base, **changes}


def test_it_edits_an_actor_from_the_page_sealed_and_audited(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    odile = _actor("Minister Odile", workshop)
    url = f"/initiatives/{workshop.initiative.pk}/actors"
    fields = _fields(name=CANARY)
    fields.pop("decision_maker")  # an unticked box
    page = client_of(workshop, "convener").post(
        url, {"action": "edit", "actor": odile.pk, **fields}
    )
    assert page.status_code == 302
    odile.refresh_from_db()
    box = box_for(workshop.initiative.pk)
    assert odile.name.read(box) == CANARY and odile.track == "1.5" and odile.level == "middle"
    assert odile.party_id == workshop.parties[1].pk and not odile.decision_maker
    assert odile.details.read(box)["region"] == "south"
    assert CANARY.encode() not in bytes(odile.name_sealed)
    event = AuditEvent.objects.get(action="actor.edited")
    assert event.target_id == str(odile.pk) and CANARY not in str(event.details)
    shown = client_of(workshop, "convener").get(url).content.decode()
    assert CANARY in shown and "Save the changes" in shown


def test_it_adds_an_actor_from_the_page(workshop: Workshop) -> None:
    url = f"/initiatives/{workshop.initiative.pk}/actors"
    fields = _fields(name=CANARY)
    fields.pop("decision_maker")
    client_of(workshop, "convener").post(url, {"action": "add", **fields})
    added = _actor(CANARY, workshop)
    assert added.track == "1.5" and added.party_id == workshop.parties[1].pk
    assert AuditEvent.objects.get(action="actor.added").target_id == str(added.pk)


def test_it_refuses_a_bad_edit_and_keeps_the_actor(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    odile = _actor("Minister Odile", workshop)
    with pytest.raises(InvalidInput, match="side"):
        editing.edit_actor(
            workshop.initiative, workshop.convener, odile.pk, _fields(side="Midstream")
        )
    odile.refresh_from_db()
    assert odile.name.read(box_for(workshop.initiative.pk)) == "Minister Odile"
    assert odile.party_id == workshop.parties[0].pk
    other = make_workshop("Another initiative")
    with pytest.raises(InvalidInput, match="no such actor"):
        editing.edit_actor(other.initiative, other.convener, odile.pk, _fields())
    workshop.cast("facilitator")
    with pytest.raises(Exception, match="may not"):
        editing.delete_actor(workshop.initiative, workshop.facilitator, odile.pk)
    assert Actor.objects.filter(pk=odile.pk).exists()


def test_it_deletes_an_actor_with_its_relationships(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    actions.add_actors_to_pool(workshop.dialogue, workshop.convener)
    bruno = _actor("Advisor Bruno", workshop)
    assert (
        ActorTie.objects.filter(source=bruno).count()
        + ActorTie.objects.filter(target=bruno).count()
        == 2
    )
    url = f"/initiatives/{workshop.initiative.pk}/actors"
    client_of(workshop, "convener").post(url, {"action": "delete", "actor": bruno.pk})
    assert not Actor.objects.filter(pk=bruno.pk).exists()
    assert ActorTie.objects.filter(initiative=workshop.initiative).count() == 1  # d -> c
    box = box_for(workshop.initiative.pk)
    kept = next(c for c in Candidate.objects.all() if c.name.read(box) == "Advisor Bruno")
    assert kept.actor_id is None  # the pool keeps the candidate, unlinked from the map
    event = AuditEvent.objects.get(action="actor.deleted")
    assert event.target_id == str(bruno.pk) and event.details == {"ties": 2}
    assert "Advisor Bruno" not in queries.map_svg(workshop.initiative)


def test_it_edits_and_deletes_a_relationship(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    tension = ActorTie.objects.get(kind="tension")
    url = f"/initiatives/{workshop.initiative.pk}/actors"
    client = client_of(workshop, "convener")
    client.post(url, {"action": "edit_tie", "tie": tension.pk, "kind": "tie", "note": CANARY})
    tension.refresh_from_db()
    assert tension.kind == "tie" and tension.note.read(box_for(workshop.initiative.pk)) == CANARY
    assert CANARY.encode() not in bytes(tension.note_sealed)
    assert AuditEvent.objects.get(action="tie.edited").target_id == str(tension.pk)
    answer = client.post(url, {"action": "edit_tie", "tie": tension.pk, "kind": "friendship"})
    assert answer.status_code == 302
    tension.refresh_from_db()
    assert tension.kind == "tie"  # refused, unchanged
    shown = client.get(url).content.decode()
    assert "field kind" in shown or "kind" in shown
    client.post(url, {"action": "delete_tie", "tie": tension.pk})
    assert not ActorTie.objects.filter(pk=tension.pk).exists()
    assert Actor.objects.filter(initiative=workshop.initiative).count() == 4
    events = AuditEvent.objects.filter(action__in=["tie.edited", "tie.deleted"])
    assert all(CANARY not in str(e.details) for e in events)
    assert client.post(url, {"action": "delete_tie", "tie": "x"}).status_code == 302
    assert ActorTie.objects.count() == 2
