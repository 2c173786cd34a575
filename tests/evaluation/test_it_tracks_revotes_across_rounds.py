"""Re-votes across rounds through the API: a facilitator marks tracking statements and opens
round 2; participants vote again through the ordinary votes route; the results show the
shift per side (and between the sides), a side below the threshold withheld."""

from __future__ import annotations

import json

from evaluation_support import Workshop, api_call

from tracktwo.dialogues import actions
from tracktwo.safety.models import AuditEvent

_call = api_call


def test_it_tracks_revotes_across_rounds(workshop: Workshop) -> None:
    up, down = workshop.people((6, 2))
    statement = actions.write_statement(
        workshop.dialogue, "Share the gauges.", user=workshop.convener
    )
    other = actions.write_statement(workshop.dialogue, "Dams first.", user=workshop.convener)
    token = workshop.token_for(workshop.convener)
    base = f"/dialogues/{workshop.dialogue.pk}/evaluation/tracking"
    assert _call("post", f"{base}/rounds", token)[0] == 409  # nothing marked yet
    for i, p in enumerate(up):
        actions.cast_vote(p, statement.pk, 1 if i < 2 else -1)  # round 1: 2 of 6 agree
    for p in down:
        actions.cast_vote(p, statement.pk, 1)
    status, marked = _call("put", base, token, {"statements": [statement.pk]})
    assert status == 200 and marked["statements"] == [
        {"id": statement.pk, "text": "Share the gauges."}
    ]
    bad = _call("put", base, token, {"statements": [999999]})
    assert bad[0] == 400 and bad[1]["detail"].startswith("statements")
    status, opened = _call("post", f"{base}/rounds", token)
    assert status == 201 and opened["rounds"] == 2
    for p in up:  # round 2: 5 of 6 agree, through the participants' own route
        vote = "agree" if p != up[-1] else "disagree"
        answer = _call(
            "post",
            f"/dialogues/{workshop.dialogue.pk}/votes",
            workshop.tokens[p.pk],
            {"statement": statement.pk, "vote": vote},
        )
        assert answer[0] == 201, answer
    for p in down:
        actions.cast_vote(p, statement.pk, -1)
    actions.cast_vote(up[0], other.pk, 1)  # not a tracking statement: not reported

    status, found = _call("get", base, token)
    assert status == 200 and found["min_cell"] == 5
    sides = {row["side"]: row for row in found["sides"]}
    assert set(sides) == {"Upstream", "Downstream"}
    assert sides["Upstream"]["n_paired"] == 6
    assert abs(sides["Upstream"]["support_before"] - 2 / 6) < 1e-9
    assert abs(sides["Upstream"]["change"] - 3 / 6) < 1e-9
    assert sides["Upstream"]["ci_low"] < 0.5 < sides["Upstream"]["ci_high"]
    assert sides["Downstream"]["withheld"] and sides["Downstream"]["support_after"] is None
    [gap] = found["gaps"]
    assert gap["withheld"] and gap["distance_change"] is None  # a side is withheld
    assert "p0-0" not in json.dumps(found)  # no handle
    actions_seen = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"evaluation.tracking_set", "evaluation.revote_round_opened"} <= actions_seen

    participant = workshop.tokens[up[0].pk]
    assert _call("get", base, participant)[0] == 403
    assert _call("put", base, participant, {"statements": []})[0] == 403
