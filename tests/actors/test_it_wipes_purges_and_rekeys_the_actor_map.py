"""The actor map and delegations under the safety machinery: a dialogue's purge takes its
pool, plan and draws; an emergency wipe takes everything; a key rotation keeps it readable."""

from __future__ import annotations

from actors_support import ACTORS, QUOTAS, TIES, generated_pool
from factories import Workshop

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.actors import actions, drawing, queries
from tracktwo.initiatives.actors.models import Actor, ActorTie, Candidate, DelegationPlan, Draw
from tracktwo.safety import retention


def _fill(workshop: Workshop) -> None:
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    actions.import_pool(workshop.dialogue, workshop.convener, generated_pool(30, 1))
    actions.set_plan(workshop.dialogue, workshop.convener, QUOTAS)
    drawing.draw(workshop.dialogue, workshop.convener, 6, seed=4)


def test_it_purges_a_dialogues_pool_with_its_content(workshop: Workshop) -> None:
    _fill(workshop)
    deleted = retention.delete_dialogue_content([workshop.dialogue.pk])
    assert deleted["candidates"] == 30 and deleted["delegation_draws"] == 1
    assert not Candidate.objects.exists() and not Draw.objects.exists()
    assert not DelegationPlan.objects.exists()
    assert Actor.objects.count() == 4  # the map belongs to the initiative


def test_it_wipes_the_map_and_the_pools(workshop: Workshop) -> None:
    _fill(workshop)
    wiped = initiative_actions.wipe_initiative(workshop.initiative, workshop.convener)
    assert wiped.deleted["actors"] == 4 and wiped.deleted["actor_ties"] == 3
    for model in (Actor, ActorTie, Candidate, DelegationPlan, Draw):
        assert not model.objects.exists(), model


def test_it_keeps_the_map_and_the_pool_readable_after_a_key_rotation(workshop: Workshop) -> None:
    _fill(workshop)
    before = (queries.export_actors(workshop.initiative), queries.pool(workshop.dialogue))
    initiative_actions.rotate_initiative_key(workshop.initiative, workshop.convener)
    after = (queries.export_actors(workshop.initiative), queries.pool(workshop.dialogue))
    assert after == before
