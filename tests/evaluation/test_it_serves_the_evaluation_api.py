"""The evaluation API: compose, open waves, answer with a participant token, read results;
strangers get 404, members without the role 403."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from evaluation_support import Workshop, make_user

from tracktwo.initiatives import actions as initiative_actions


def call(method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
    response = getattr(Client(), method.lower())(
        f"/api/v1{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    parsed = json.loads(response.content) if response.content else None
    return response.status_code, parsed


def test_it_runs_a_survey_through_the_api(workshop: Workshop) -> None:
    d = workshop.dialogue.pk
    convener = workshop.token_for(workshop.convener)
    status, library = call("GET", "/evaluation/instruments", convener)
    assert status == 200
    assert {m["key"] for m in library} >= {"thermometer", "intergroup_anxiety", "prior_stance"}
    assert all(m["source"] for m in library)
    status, survey = call(
        "PUT", f"/dialogues/{d}/evaluation/survey", convener, {"items": ["thermometer"]}
    )
    assert status == 200 and [i["key"] for i in survey["items"]] == ["thermometer"]
    status, survey = call("POST", f"/dialogues/{d}/evaluation/waves", convener, {"open": ["pre"]})
    assert status == 200 and survey["open_waves"] == ["pre"]
    people = [p for side in workshop.people((5, 5)) for p in side]
    for i, person in enumerate(people):
        token = workshop.tokens[person.pk]
        body = {"wave": "pre", "answers": {"thermometer": 40 + i}}
        assert call("POST", f"/dialogues/{d}/evaluation/responses", token, body)[0] == 200
    call("POST", f"/dialogues/{d}/evaluation/waves", convener, {"open": ["post"]})
    for i, person in enumerate(people):
        token = workshop.tokens[person.pk]
        body = {"wave": "post", "answers": {"thermometer": 50 + i}}
        assert call("POST", f"/dialogues/{d}/evaluation/responses", token, body)[0] == 200
    status, report = call("GET", f"/dialogues/{d}/evaluation/results", convener)
    assert status == 200
    row = next(r for r in report["results"] if r["side"] == "all" and r["comparison"] == "post-pre")
    assert row["n_paired"] == 10 and abs(row["mean_change"] - 10.0) < 1e-9
    assert row["d_z"] is None  # every change is exactly 10: no spread, no d_z


def test_it_refuses_strangers_members_without_the_role_and_bad_values(
    workshop: Workshop,
) -> None:
    d = workshop.dialogue.pk
    stranger = workshop.token_for(make_user("stranger"))
    assert call("GET", f"/dialogues/{d}/evaluation/results", stranger)[0] == 404
    observer = make_user("observer")
    initiative_actions.add_member(workshop.initiative, observer, "observer", workshop.convener)
    watcher = workshop.token_for(observer)
    assert call("GET", f"/dialogues/{d}/evaluation/results", watcher)[0] == 200
    body = {"items": ["thermometer"]}
    assert call("PUT", f"/dialogues/{d}/evaluation/survey", watcher, body)[0] == 403
    person = workshop.join("amal")
    token = workshop.tokens[person.pk]
    assert call("GET", f"/dialogues/{d}/evaluation/results", token)[0] == 403
    assert call("GET", f"/dialogues/{d}/evaluation/survey", token)[0] == 200
    answer = {"wave": "pre", "answers": {"thermometer": 50}}
    status, problem = call("POST", f"/dialogues/{d}/evaluation/responses", token, answer)
    assert status == 409 and "survey" in problem["detail"]
    convener = workshop.token_for(workshop.convener)
    status, problem = call("PUT", f"/dialogues/{d}/evaluation/survey", convener, {"items": ["iq"]})
    assert status == 400 and problem["detail"].startswith("items")
