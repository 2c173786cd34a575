"""The outcome-harvesting register: conveners and initiative-wide facilitators record who
changed what, the contribution and the substantiator; texts sealed; recording audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from evaluation_support import Workshop, make_user

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.evaluation import outcomes
from tracktwo.evaluation.models import Outcome
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.errors import InvalidInput, NotAllowed
from tracktwo.safety.audit import events_for

ENTRY = {
    "social_actor": "The Upstream water board",
    "change": "Opened its gauge data to the downstream villages.",
    "contribution": "Proposed at the second workshop; the board's deputy took part.",
    "substantiator": "A downstream mayor",
}


def post(path: str, token: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = Client().post(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    return response.status_code, json.loads(response.content)


def test_it_records_and_lists_outcomes_sealed(workshop: Workshop) -> None:
    statement = dialogue_actions.write_statement(
        workshop.dialogue, "Share the gauge data.", user=workshop.convener
    )
    outcome = outcomes.record_outcome(
        workshop.convener,
        workshop.initiative,
        happened_on=dt.date(2026, 11, 2),
        statements=[statement.pk],
        **ENTRY,
    )
    assert b"gauge data" not in bytes(outcome.record_sealed)
    [entry] = outcomes.register(workshop.convener, workshop.initiative)
    assert entry["social_actor"] == ENTRY["social_actor"]
    assert entry["statements"] == [statement.pk] and entry["significance"] == ""
    assert "evaluation.outcome_recorded" in [e.action for e in events_for(workshop.initiative.pk)]


def test_it_refuses_missing_texts_foreign_links_and_other_roles(workshop: Workshop) -> None:
    with pytest.raises(InvalidInput) as missing:
        outcomes.record_outcome(
            workshop.convener,
            workshop.initiative,
            happened_on=dt.date(2026, 11, 2),
            **{**ENTRY, "change": " "},
        )
    assert missing.value.field == "change"
    with pytest.raises(InvalidInput):
        outcomes.record_outcome(
            workshop.convener,
            workshop.initiative,
            happened_on=dt.date(2026, 11, 2),
            statements=[10**9],
            **ENTRY,
        )
    observer = make_user("observer")
    initiative_actions.add_member(workshop.initiative, observer, "observer", workshop.convener)
    with pytest.raises(NotAllowed):
        outcomes.register(observer, workshop.initiative)
    assert not Outcome.objects.exists()


def test_it_serves_the_register_through_the_api(workshop: Workshop) -> None:
    path = f"/initiatives/{workshop.initiative.pk}/outcomes"
    token = workshop.token_for(workshop.convener)
    status, entry = post(path, token, {"happened_on": "2026-11-02", **ENTRY})
    assert status == 201 and entry["change"] == ENTRY["change"]
    stranger = workshop.token_for(make_user("stranger"))
    assert post(path, stranger, {"happened_on": "2026-11-02", **ENTRY})[0] == 404
