"""Pol.is export and import: a dialogue survives the round trip; ids are fresh and audited."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from factories import Workshop, assess_tool

from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.votes import VoteEvents
from tracktwo.dialogues import actions
from tracktwo.dialogues.actions.polis_exchange import export_polis, export_zip, import_polis
from tracktwo.dialogues.models import Dialogue, Participant, Statement
from tracktwo.insight import service as live
from tracktwo.insight.engine_input import dialogue_statements, dialogue_vote_events
from tracktwo.safety.audit import Actor, events_for
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def rows(events: VoteEvents, key: dict[object, int] | None = None) -> Counter[tuple[object, ...]]:
    """Each voter's latest votes, keyed by ``key[statement id]`` (statements not in ``key``
    left out), as a multiset of rows: voter ids do not matter."""
    latest = events.latest()
    by_voter: dict[int, dict[object, int]] = {}
    for p, s, v in zip(latest.participant, latest.statement, latest.vote, strict=True):
        sid = events.statements.ids[int(s)]
        if key is None or sid in key:
            by_voter.setdefault(int(p), {})[sid if key is None else key[sid]] = int(v)
    return Counter(tuple(sorted(row.items(), key=str)) for row in by_voter.values())


def in_order(dialogue: Dialogue) -> dict[object, int]:
    """Statement id -> position among the dialogue's statements not deleted (= comment id)."""
    ids = Statement.objects.filter(dialogue=dialogue, deleted_at__isnull=True).order_by("id")
    return {pk: i for i, pk in enumerate(ids.values_list("pk", flat=True))}


def build(workshop: Workshop) -> dict[str, object]:
    """Ten voters over six statements, with a re-vote, a rejection, a pending and a deleted one."""
    seeds = [
        actions.write_statement(
            workshop.dialogue, f"Seed {i}: the water belongs to all.", user=workshop.convener
        )
        for i in range(4)
    ]
    people = [workshop.join(f"canary-handle-{i}", party=i % 2).participant for i in range(10)]
    written = actions.write_statement(
        workshop.dialogue, "Mine: meet at the ford.", participant=people[0]
    )
    actions.moderate_statement(written, "accepted", workshop.convener)
    pending = actions.write_statement(
        workshop.dialogue, "Still pending, secret detail.", participant=people[1]
    )
    doomed = actions.write_statement(workshop.dialogue, "Deleted later.", participant=people[2])
    actions.moderate_statement(doomed, "accepted", workshop.convener)
    rng = np.random.default_rng(3)
    for person in people:
        for statement in [*seeds, written, doomed]:
            actions.cast_vote(person, statement.pk, int(rng.integers(-1, 2)))
    actions.cast_vote(people[3], seeds[0].pk, 1)
    actions.cast_vote(people[3], seeds[0].pk, -1)  # the re-vote counts
    actions.moderate_statement(seeds[3], "rejected", workshop.convener)
    actions.delete_own_statement(people[2], doomed.pk)
    return {"pending": pending, "doomed": doomed, "rejected": seeds[3]}


def write(files: dict[str, str], folder: Path) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def test_it_exports_what_the_dialogue_holds_and_nothing_more(
    workshop: Workshop, tmp_path: Path
) -> None:
    made = build(workshop)
    files = export_polis(workshop.dialogue, actor=Actor.user(workshop.convener))
    assert set(files) == {"comments.csv", "votes.csv", "participants-votes.csv"}
    everything = "".join(files.values())
    assert "canary-handle" not in everything
    assert "secret detail" not in everything and "Deleted later" not in everything
    exported = read_polis(write(files, tmp_path / "export"))
    original = dialogue_vote_events(workshop.dialogue, dialogue_statements(workshop.dialogue))
    assert rows(exported) == rows(original, in_order(workshop.dialogue))
    by_text = dict(zip(exported.statements.ids, exported.statements.texts, strict=True))
    assert not by_text[in_order(workshop.dialogue)[made["rejected"].pk]]  # type: ignore[attr-defined]
    moderated = dict(
        zip(exported.statements.ids, exported.statements.moderated.tolist(), strict=True)
    )
    assert sorted(moderated.values()) == [-1, 0, 1, 1, 1, 1]
    header = files["comments.csv"].splitlines()[1].split(",")
    assert header[3] == ""  # no author id
    audit = [e for e in events_for(workshop.initiative.pk) if e.action == "dialogue.exported"]
    assert len(audit) == 1 and audit[0].details["participants"] == 10


def test_it_numbers_voters_afresh_for_every_export(workshop: Workshop) -> None:
    build(workshop)
    first = export_polis(workshop.dialogue, actor=Actor.operator())["votes.csv"]
    second = export_polis(workshop.dialogue, actor=Actor.operator())["votes.csv"]
    voters = [[line.split(",")[-2] for line in text.splitlines()[1:]] for text in (first, second)]
    assert sorted(set(voters[0]), key=int) == [str(i) for i in range(10)]
    assert voters[0] != voters[1]


def test_it_round_trips_a_dialogue_through_the_polis_format(
    workshop: Workshop, tmp_path: Path
) -> None:
    build(workshop)
    assess_tool(workshop.dialogue, workshop.convener, "polis_export")
    data = export_zip(workshop.dialogue, by=workshop.convener)
    folder = tmp_path / "zip"
    zipfile.ZipFile(io.BytesIO(data)).extractall(folder)
    exported = read_polis(folder)
    copy = import_polis(exported, title="Imported copy", by=workshop.convener)
    assert Participant.objects.filter(dialogue=copy).count() == 10
    copy_events = dialogue_vote_events(copy, dialogue_statements(copy))
    assert rows(copy_events, in_order(copy)) == rows(exported)
    texts = Statement.objects.filter(dialogue=copy, moderation="accepted").order_by("id")
    box = box_for(copy.initiative_id)
    assert [s.text.read(box) for s in texts] == [
        *(f"Seed {i}: the water belongs to all." for i in range(3)),
        "Mine: meet at the ford.",
    ]
    states = Counter(Statement.objects.filter(dialogue=copy).values_list("moderation", flat=True))
    assert states == Counter({"accepted": 4, "rejected": 1, "pending": 1})
    again = export_polis(copy, actor=Actor.operator())
    assert len(again["votes.csv"].splitlines()) == len(exported.vote) + 1
    assert live.dialogue_analysis(copy)["status"] == "ready"


def test_it_imports_a_real_polis_conversation_with_sides(
    workshop: Workshop, shared_data: Path, tmp_path: Path
) -> None:
    folder = shared_data / "polis-opendata" / "london.youth.policing"
    events = read_polis(folder)
    sides = tmp_path / "sides.csv"
    ids = list(events.participant_ids)
    sides.write_text(
        "participant,party\n"
        + "".join(f"{pid},{'North' if i % 2 else 'South'}\n" for i, pid in enumerate(ids[:-3]))
    )
    dialogue = import_polis(
        events, title="London youth policing", by=workshop.convener, parties_file=sides
    )
    assert isinstance(dialogue, Dialogue)
    assert Participant.objects.filter(dialogue=dialogue).count() == events.n_participants
    again = dialogue_vote_events(dialogue, dialogue_statements(dialogue))
    assert len(again) == len(events)
    assert rows(again).total() == rows(events).total()
    data = live.dialogue_analysis(dialogue)
    assert data["status"] == "ready"
    assert set(data["cross_side"]["parties"]) == {"North", "South"}
