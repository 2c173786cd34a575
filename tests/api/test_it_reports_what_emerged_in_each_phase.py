"""Analysis and briefs per phase, on a dialogue whose phases are known."""

from __future__ import annotations

import pytest
from api_support import Scene

from tracktwo.dialogues.models import Dialogue

pytestmark = pytest.mark.django_db

AGREED = "CANARY-JOINT: a joint water board with equal seats."
NEEDS = "CANARY-NEEDS: we fear losing our wells."
SPLIT = "CANARY-SPLIT: the border runs along the river."


def test_it_splits_the_analysis_and_the_brief_by_phase(scene: Scene) -> None:
    Dialogue.objects.filter(pk=scene.id).update(small_cell_threshold=2)
    tokens = [scene.join(f"P{i}", i % 2)["participant_token"] for i in range(8)]
    post = scene.api.post
    assert post(f"/dialogues/{scene.id}/meetings", scene.convener_token, {}).status == 201
    needs = scene.seed(NEEDS)  # needs and fears (phase 0)
    for token in tokens:
        assert (
            post(f"/dialogues/{scene.id}/votes", token, {"statement": needs, "vote": "pass"}).status
            == 201
        )
    assert post(f"/dialogues/{scene.id}/phase", scene.convener_token, {"phase": 1}).status == 200
    agreed = scene.seed(AGREED)  # joint thinking (phase 1)
    split = scene.seed(SPLIT)
    for token in tokens:
        assert (
            post(
                f"/dialogues/{scene.id}/votes", token, {"statement": agreed, "vote": "agree"}
            ).status
            == 201
        )
    assert post(f"/dialogues/{scene.id}/phase", scene.convener_token, {"phase": 2}).status == 200
    for i, token in enumerate(tokens):  # constraints (phase 2): the sides split
        choice = "agree" if i % 2 == 0 else "disagree"
        assert (
            post(f"/dialogues/{scene.id}/votes", token, {"statement": split, "vote": choice}).status
            == 201
        )
    sections = scene.api.get(f"/dialogues/{scene.id}/analysis/phases", scene.convener_token)
    assert sections.status == 200, sections.body
    by_key = {s["key"]: s for s in sections.body}
    assert [s["key"] for s in sections.body][:3] == [
        "needs-and-fears",
        "joint-thinking",
        "constraints",
    ]
    assert (by_key["needs-and-fears"]["statements"], by_key["needs-and-fears"]["votes"]) == (1, 8)
    assert (by_key["joint-thinking"]["statements"], by_key["joint-thinking"]["votes"]) == (2, 8)
    assert (by_key["constraints"]["statements"], by_key["constraints"]["votes"]) == (0, 8)
    emerged = [t["text"] for t in by_key["joint-thinking"]["consensus"]]
    emerged += [t["text"] for t in by_key["joint-thinking"]["common_ground"]]
    assert AGREED in emerged
    assert all(AGREED not in str(by_key[k]) for k in ("needs-and-fears", "constraints"))
    participant = scene.api.get(f"/dialogues/{scene.id}/analysis/phases", tokens[0])
    assert participant.status == 403  # results not shared yet
    brief = scene.api.get(f"/dialogues/{scene.id}/brief?format=md", scene.convener_token)
    assert brief.status == 200
    text = brief.raw.decode()
    assert "What emerged in Joint thinking" in text
    joint = text.split("What emerged in Joint thinking", 1)[1].split("###", 1)[0]
    assert "2 statements written and 8 votes cast in this phase" in joint
    assert "a joint water board with equal seats" in joint
    assert "Critique was held in this phase." in joint
