"""The routes of :data:`matrix.SHARED_PROFILES_ONLY`, called by every role the matrix allows:
a profile shared with the caller appears, a profile shared with nobody never does (canary)."""

from __future__ import annotations

import pytest
from matrix import API, PAGES, SHARED_PROFILES_ONLY
from security_requests import call, requests
from security_world import CONVENER, World

from tracktwo.consent.actions import set_risk_profile

SHARED = "CANARY-RISK-SHARED the convener may read this"
UNSHARED = "CANARY-RISK-UNSHARED nobody but me may read this"


@pytest.mark.django_db
def test_it_never_shows_a_profile_that_was_not_shared(world: World) -> None:
    convener = world.people[CONVENER].user
    assert convener is not None
    sharer, keeper = world.participants[0], world.participants[1]
    set_risk_profile(sharer, {"level": "low", "notes": SHARED, "share_with": [convener.pk]})
    set_risk_profile(keeper, {"level": "low", "notes": UNSHARED})
    handles = world.handles()
    checked = 0
    for request in requests(world, PAGES, API):
        if request.key not in SHARED_PROFILES_ONLY or request.rule is None:
            continue
        assert request.rule.allow == {CONVENER}, request.key
        for role in request.rule.allow:
            answer = call(request, world.people[role], world)
            assert answer.status == 200, (request.key, answer.status)
            assert SHARED in answer.text and handles[sharer.pk] in answer.text
            assert UNSHARED not in answer.text and handles[keeper.pk] not in answer.text
            checked += 1
    assert checked == len(SHARED_PROFILES_ONLY)
