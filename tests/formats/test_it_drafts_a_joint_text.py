"""A joint text (Fisher's single text): versions with a history, paragraphs from common ground,
amendments, a Schulze ranking of candidate versions with its page, the agreed text with its
distribution list, and publication once every side approved."""

from __future__ import annotations

import re

import pytest
from factories import DOWNSTREAM, UPSTREAM, assess_tool
from formats_support import Group, make_group

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Participant
from tracktwo.jointtext import agreement, drafting
from tracktwo.jointtext.models import Amendment, JointText

pytestmark = pytest.mark.django_db

# The worked example of the Wikipedia article "Schulze method": 45 ballots over A-E, whose
# Schulze order is E, A, C, B, D. Versions 1-5 stand for A-E.
WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


@pytest.fixture
def group() -> Group:
    return make_group("problem-solving-workshop")


def start(group: Group) -> JointText:
    answer = group.api(
        "POST", "/joint-text", "facilitator", {"kind": "non-paper", "title": "Water"}
    )
    assert answer.status == 201, answer.body
    return JointText.objects.get(dialogue=group.workshop.dialogue)


def test_it_keeps_versions_and_takes_amendments_in(group: Group) -> None:
    start(group)
    first = group.api(
        "POST", "/joint-text/versions", "facilitator", {"paragraphs": ["One.", "Two."]}
    )
    assert first.status == 201 and first.body == {"version": 1}
    mine = group.api("POST", "/joint-text/amendments", UPSTREAM, {"paragraph": 2, "text": "Two!"})
    theirs = group.api("POST", "/joint-text/amendments", DOWNSTREAM, {"text": "Three."})
    assert mine.status == 201 and theirs.status == 201
    bad = group.api("POST", "/joint-text/amendments", UPSTREAM, {"paragraph": 9, "text": "x"})
    assert bad.status == 400 and "paragraph" in bad.body["detail"]
    body = {"paragraphs": ["One.", "Two!"], "note": "Took §2", "take": [mine.body["id"]]}
    assert group.api("POST", "/joint-text/versions", "facilitator", body).status == 201
    seen = group.api("GET", "/joint-text", UPSTREAM).body
    assert [v["number"] for v in seen["versions"]] == [1, 2]
    assert seen["versions"][0]["paragraphs"][1]["text"] == "Two."  # the history stays
    states = {a["text"]: (a["state"], a["mine"]) for a in seen["amendments"]}
    assert states == {"Two!": ("taken", True), "Three.": ("declined", False)}
    assert "author" not in str(seen)


def test_it_proposes_paragraphs_from_statements_supported_on_every_side() -> None:
    group = make_group("problem-solving-workshop")
    workshop, facilitator = group.workshop, group.workshop.facilitator
    shared = dialogue_actions.write_statement(
        workshop.dialogue, "Water is shared.", user=facilitator
    )
    split = dialogue_actions.write_statement(workshop.dialogue, "Dams are fine.", user=facilitator)
    for side in (0, 1):
        for i in range(6):
            voter = workshop.join(f"voter {side}-{i}", side).participant
            dialogue_actions.cast_vote(voter, shared.pk, 1)
            dialogue_actions.cast_vote(voter, split.pk, 1 if side == 0 else -1)
    start(group)
    answer = group.api("POST", "/joint-text/common-ground", "facilitator")
    assert answer.status == 201, answer.body
    latest = group.api("GET", "/joint-text", "facilitator").body["latest"]
    assert latest["paragraphs"] == [{"text": "Water is shared.", "statement": shared.pk}]
    again = group.api("POST", "/joint-text/common-ground", "facilitator")
    assert again.status == 409 and "already" in again.body["detail"]


def test_it_ranks_candidate_versions_by_schulze_on_its_page(group: Group) -> None:
    joint_text = start(group)
    facilitator = group.workshop.facilitator
    for letter in "ABCDE":
        drafting.add_version(joint_text, [f"Wording {letter}."], "", facilitator)
    opened = group.api("POST", "/joint-text/ranking", "facilitator", {"versions": [1, 2, 3, 4, 5]})
    assert opened.status == 200, opened.body
    number = {letter: i + 1 for i, letter in enumerate("ABCDE")}
    voters = iter(range(1000))
    for count, ranking in WIKIPEDIA:
        for _ in range(count):
            voter = group.workshop.join(f"ranker {next(voters)}").participant
            agreement.rank(voter, [number[c] for c in ranking])
    table = group.api("GET", "/joint-text/ranking", UPSTREAM).body["ranking"]
    assert table["order"] == [5, 1, 3, 2, 4] and table["winner"] == 5 and table["ballots"] == 45
    assert table["pairwise"][0] == [0, 20, 26, 30, 22]
    assert table["strongest_paths"][0] == [0, 28, 28, 30, 24]
    page = group.desk().get(f"/dialogues/{group.dialogue_id}/joint-text/ranking").content.decode()
    order = re.search(r'<ol class="schulze-order" id="schulze-order">(.*?)</ol>', page, re.S)
    assert order is not None
    assert re.findall(r"Version (\d)", order.group(1)) == ["5", "1", "3", "2", "4"]
    assert "20 (28)" in page and "45 ballots." in page
    agreed = group.api("POST", "/joint-text/agreement", "facilitator")
    assert agreed.status == 200 and agreed.body["agreed"] == 5


def test_it_distributes_and_publishes_once_every_side_approved(group: Group) -> None:
    joint_text = start(group)
    facilitator = group.workshop.facilitator
    drafting.add_version(joint_text, ["First."], "", facilitator)
    drafting.add_version(joint_text, ["Second."], "", facilitator)
    early = group.api("POST", "/joint-text/publication", "facilitator", {"version": 2})
    assert early.status == 409 and "agreed" in early.body["detail"]
    agreement.open_ranking(joint_text, [1, 2], facilitator)
    group.api("POST", "/joint-text/ballots", UPSTREAM, {"ranking": [2, 1]})
    group.api("POST", "/joint-text/ballots", DOWNSTREAM, {"ranking": [2]})
    assert group.api("POST", "/joint-text/agreement", "facilitator").body["agreed"] == 2
    recipients = {"recipients": ["Ministry of Water", "Office of the Envoy"]}
    assert group.api("PUT", "/joint-text/distribution", "facilitator", recipients).status == 200
    assert group.api("POST", "/joint-text/publication", "facilitator", {"version": 2}).status == 200
    assert group.api("POST", "/joint-text/approvals", UPSTREAM).status == 201
    refused = group.api("POST", "/joint-text/publish", "facilitator")
    assert refused.status == 409 and "every side" in refused.body["detail"]
    assert group.api("POST", "/joint-text/approvals", DOWNSTREAM).status == 201
    assess_tool(group.workshop.dialogue, group.workshop.convener, "publication")
    published = group.api("POST", "/joint-text/publish", "facilitator")
    assert published.status == 200, published.body
    page = group.phone(UPSTREAM).get(f"/d/{group.dialogue_id}/joint-text").content.decode()
    assert "Non-paper" in page and "Office of the Envoy" in page and "Published on" in page


def test_it_refuses_out_of_format_and_out_of_turn() -> None:
    circle = make_group("living-room")
    answer = circle.api("POST", "/joint-text", "facilitator", {"kind": "non-paper", "title": "x"})
    assert answer.status == 409 and "Living-room dialogue" in answer.body["detail"]
    group = make_group("problem-solving-workshop")
    none_yet = group.api("POST", "/joint-text/amendments", UPSTREAM, {"text": "x"})
    assert none_yet.status == 409 and "no joint text" in none_yet.body["detail"]
    start(group)
    assert group.api("POST", "/joint-text/ballots", UPSTREAM, {"ranking": [1]}).status == 409
    assert group.api("POST", "/joint-text/versions", UPSTREAM, {"paragraphs": ["x"]}).status == 403
    assert group.api("POST", "/joint-text/amendments", "observer", {"text": "x"}).status == 403
    assert Amendment.objects.count() == 0
    assert Participant.objects.filter(dialogue=group.workshop.dialogue).count() == 2


def test_it_publishes_only_after_the_do_no_harm_assessment(group: Group) -> None:
    joint_text = start(group)
    facilitator = group.workshop.facilitator
    drafting.add_version(joint_text, ["Only."], "", facilitator)
    drafting.add_version(joint_text, ["Other."], "", facilitator)
    agreement.open_ranking(joint_text, [1, 2], facilitator)
    group.api("POST", "/joint-text/ballots", UPSTREAM, {"ranking": [1, 2]})
    group.api("POST", "/joint-text/ballots", DOWNSTREAM, {"ranking": [1]})
    assert group.api("POST", "/joint-text/agreement", "facilitator").body["agreed"] == 1
    assert group.api("POST", "/joint-text/publication", "facilitator", {"version": 1}).status == 200
    for side in (UPSTREAM, DOWNSTREAM):
        assert group.api("POST", "/joint-text/approvals", side).status == 201
    refused = group.api("POST", "/joint-text/publish", "facilitator")
    assert refused.status == 409
    assert "do-no-harm assessment of publication" in refused.body["detail"]
    desk = f"/dialogues/{group.dialogue_id}/joint-text"
    page = group.desk().post(f"{desk}/publish", follow=True).content.decode()
    assert "no do-no-harm assessment of publication for this dialogue" in page
    assess_tool(group.workshop.dialogue, group.workshop.convener, "publication", enabled=False)
    kept_off = group.api("POST", "/joint-text/publish", "facilitator")
    assert kept_off.status == 409 and "decided to keep it off" in kept_off.body["detail"]
    joint_text.refresh_from_db()
    assert joint_text.published_at is None
    assess_tool(group.workshop.dialogue, group.workshop.convener, "publication")
    assert group.api("POST", "/joint-text/publish", "facilitator").status == 200
