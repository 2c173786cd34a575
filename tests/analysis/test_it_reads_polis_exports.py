"""Reading real Pol.is exports: 2021-style folders, the 2025-style export and the API's JSON."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tracktwo.analysis.polis_io import find_export, read_polis, read_polis_groups
from tracktwo.analysis.votes import AGREE, DISAGREE, PASS

# From shared/data/README.md: participants, comments with votes, last votes, grouped participants.
OPENDATA = {
    "15-per-hour-seattle": (339, 54, 2872, 138),
    "american-assembly.bowling-green": (2031, 896, 225524, 1581),
    "austria-climate.2vkxcncppn.2022-07-07": (1756, 1039, 130798, 1439),
    "austria-climate.5twd2jsnkf.2022-08-08": (1116, 522, 61384, 900),
    "austria-climate.7z7ejpbmv5.2022-08-08": (1503, 611, 79315, 1261),
    "bg2050-volunteers": (126, 371, 14283, 108),
    "brexit-consensus": (204, 50, 5303, 197),
    "canadian-electoral-reform": (448, 174, 11950, 281),
    "football-concussions": (1487, 298, 14328, 1434),
    "london.youth.policing": (26, 36, 638, 24),
    "scoop-hivemind.affordable-housing": (381, 165, 14995, 381),
    "scoop-hivemind.biodiversity": (536, 314, 29719, 443),
    "scoop-hivemind.freshwater": (117, 80, 3972, 117),
    "scoop-hivemind.taxes": (334, 148, 17335, 295),
    "scoop-hivemind.ubi": (234, 70, 7153, 234),
    "ssis.land-bank-farmland.2rumnecbeh.2021-08-01": (404, 293, 33463, 355),
    "vtaiwan.uberx": (1921, 197, 49443, 1219),
}
API_FIXTURES = (
    "150ptpt-3gp-no-strict-no-meta",
    "25ptpt-3gp-no-strict-with-meta",
    "50ptpt-3gp-strict-no-meta",
    "above-100-ptpts",
    "below-100-ptpts",
)
EXPORT_2025 = "polis-math/csv-export-test"


def cells(events):  # (participant id, statement id) -> last vote
    latest = events.latest()
    pids = np.array(events.participant_ids, dtype=object)[latest.participant]
    sids = np.array(events.statements.ids, dtype=object)[latest.statement]
    return dict(
        zip(zip(pids.tolist(), sids.tolist(), strict=True), latest.vote.tolist(), strict=True)
    )


def wide_cells(path: Path):  # the same, read with the csv module from participants-votes.csv
    result = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            for key, value in row.items():
                if key.isdigit() and value != "":
                    result[(int(row["participant"]), int(key))] = int(value)
    return result


@pytest.mark.parametrize("name", sorted(OPENDATA))
def test_it_reads_every_opendata_conversation_as_published(shared_data, name):
    folder = shared_data / "polis-opendata" / name
    participants, voted_comments, last_votes, grouped = OPENDATA[name]

    events = read_polis(folder)
    latest = events.latest()

    assert events.n_participants == participants
    assert len(np.unique(latest.statement)) == voted_comments
    assert len(latest.vote) == last_votes
    # The last vote of every cell is the one in participants-votes.csv, with the export's sign.
    assert cells(events) == wide_cells(folder / "participants-votes.csv")
    assert len(read_polis_groups(folder)) == grouped


@pytest.mark.parametrize("name", ["brexit-consensus", "vtaiwan.uberx", "bg2050-volunteers"])
def test_it_keeps_revotes_and_times_in_seconds_from_votes_csv(shared_data, name):
    folder = shared_data / "polis-opendata" / name
    with (folder / "votes.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))

    events = read_polis(folder)

    assert len(events) == len(rows)  # re-votes kept as events
    assert np.isfinite(events.timestamp).all()
    first_ms = float(rows[0]["timestamp"])
    assert events.timestamp[0] == pytest.approx(first_ms / 1000.0)
    assert Counter(events.vote.tolist()) == Counter(int(r["vote"]) for r in rows)


def test_it_rebuilds_votes_from_participants_votes_when_votes_csv_is_absent(shared_data):
    folder = shared_data / "polis-opendata" / "american-assembly.bowling-green"
    assert not (folder / "votes.csv").exists()

    events = read_polis(folder)

    assert np.isnan(events.timestamp).all()
    assert set(np.unique(events.vote).tolist()) == {AGREE, DISAGREE, PASS}
    assert find_export(folder).keys() == {"wide", "comments"}


def test_it_reads_the_same_votes_from_votes_csv_and_participants_votes(shared_data):
    folder = shared_data / "polis-opendata" / "canadian-electoral-reform"

    from_history = read_polis(folder / "votes.csv")
    from_wide = read_polis(folder / "participants-votes.csv")

    assert cells(from_history) == cells(from_wide)
    assert from_wide.statements.ids == from_history.statements.ids


def test_it_reads_comment_text_and_moderation(shared_data):
    folder = shared_data / "polis-opendata" / "15-per-hour-seattle"
    with (folder / "comments.csv").open(newline="") as handle:
        rows = {int(r["comment-id"]): r for r in csv.DictReader(handle)}

    statements = read_polis(folder).statements

    assert statements.ids == tuple(sorted(rows))
    for i, sid in enumerate(statements.ids):
        assert statements.texts[i] == rows[sid]["comment-body"]
        assert statements.moderated[i] == int(rows[sid]["moderated"])
    assert (statements.moderated == -1).sum() == 23
    assert not statements.is_meta.any()


def test_it_keeps_comments_nobody_voted_on(shared_data):
    statements = read_polis(shared_data / "polis-opendata" / "london.youth.policing").statements
    events = read_polis(shared_data / "polis-opendata" / "london.youth.policing")

    assert len(statements) == 39  # comments.csv has 39, votes touch 36
    assert len(np.unique(events.statement)) == 36


def test_it_reads_meta_flags_from_the_bg2050_comments_header(shared_data):
    folder = shared_data / "polis-opendata" / "bg2050-volunteers"
    with (folder / "comments.csv").open(newline="") as handle:
        meta = {int(r["comment-id"]) for r in csv.DictReader(handle) if r["is-meta"] == "true"}

    statements = read_polis(folder).statements

    assert {sid for sid, m in zip(statements.ids, statements.is_meta, strict=True) if m} == meta


def test_it_reads_the_2025_export_with_date_and_id_prefixes(shared_data):
    folder = shared_data / EXPORT_2025

    files = find_export(folder)
    events = read_polis(folder)

    assert {k: p.name for k, p in files.items()} == {
        "votes": "2025-08-29-0002-7btrabcujr-votes.csv",
        "wide": "2025-08-29-0002-7btrabcujr-participant-votes.csv",
        "comments": "2025-08-29-0002-7btrabcujr-comments.csv",
    }
    assert (len(events), events.n_participants, len(events.latest().vote)) == (1420, 46, 1417)
    # seconds in the file stay seconds (2024-2025, not 1970)
    assert np.nanmin(events.timestamp) > 1.7e9 and np.nanmax(events.timestamp) < 1.8e9
    assert cells(events) == wide_cells(folder / "2025-08-29-0002-7btrabcujr-participant-votes.csv")
    assert events.statements.texts[0].startswith("Major streets should accommodate")
    assert read_polis_groups(folder) == {
        int(r["participant"]): int(r["group-id"])
        for r in csv.DictReader(
            (folder / "2025-08-29-0002-7btrabcujr-participant-votes.csv").open(newline="")
        )
        if r["group-id"]
    }


def test_it_reads_the_2025_export_without_prefixes(shared_data, tmp_path):
    source = shared_data / EXPORT_2025
    for path in source.iterdir():
        shutil.copy(path, tmp_path / path.name.removeprefix("2025-08-29-0002-7btrabcujr-"))

    assert cells(read_polis(tmp_path)) == cells(read_polis(source))
    assert read_polis(tmp_path).statements.texts == read_polis(source).statements.texts


def test_it_reads_one_file_of_a_prefixed_export_with_its_comments(shared_data):
    path = shared_data / EXPORT_2025 / "2025-08-29-0002-7btrabcujr-participant-votes.csv"

    events = read_polis(path)

    assert events.statements.texts[0].startswith("Major streets should accommodate")
    assert np.isnan(events.timestamp).all()


@pytest.mark.parametrize("name", API_FIXTURES)
def test_it_reads_api_json_with_agree_as_plus_one(shared_data, name):
    folder = shared_data / "polis-math" / name
    comments = json.loads((folder / "comments.json").read_text())

    events = read_polis(folder)
    latest = events.latest()

    # The sign, checked against Pol.is's own per-comment counts.
    for comment in comments:
        sid = comment.get("tid", comment.get("statement_id"))
        on = latest.statement == events.statements.index[sid]
        assert (latest.vote[on] == AGREE).sum() == comment["agree_count"]
        assert (latest.vote[on] == DISAGREE).sum() == comment["disagree_count"]
    assert 1.4e9 < np.nanmin(events.timestamp) < 1.8e9  # modified (ms) -> seconds


def test_it_reads_meta_and_moderation_from_comments_json(shared_data):
    folder = shared_data / "polis-math" / "25ptpt-3gp-no-strict-with-meta"
    comments = json.loads((folder / "comments.json").read_text())

    statements = read_polis(folder).statements

    for comment in comments:
        i = statements.index[comment["statement_id"]]
        assert statements.texts[i] == comment["txt"]
        assert bool(statements.is_meta[i]) == comment["is_meta"]
        assert statements.moderated[i] == comment["moderated"]
    assert statements.is_meta.any()


def test_it_builds_the_same_events_on_the_fast_and_the_line_by_line_path(shared_data, tmp_path):
    source = shared_data / "polis-opendata" / "brexit-consensus" / "votes.csv"
    text = source.read_text()
    (tmp_path / "votes.csv").write_text(text + "\n\n")  # blank lines force the careful path

    fast = read_polis(source)
    careful = read_polis(tmp_path / "votes.csv")

    assert careful.participant_ids == fast.participant_ids
    assert careful.statements.ids == fast.statements.ids
    np.testing.assert_array_equal(careful.participant, fast.participant)
    np.testing.assert_array_equal(careful.statement, fast.statement)
    np.testing.assert_array_equal(careful.vote, fast.vote)
    np.testing.assert_array_equal(careful.timestamp, fast.timestamp)


def test_it_keeps_named_ids_as_strings(tmp_path):
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "1700000000,x,7,alice,1\n1700000001,x,7,bob,-1\n1700000002,x,8,alice,0\n"
    )

    events = read_polis(tmp_path)

    assert events.participant_ids == ("alice", "bob")
    assert cells(events) == {("alice", 7): 1, ("bob", 7): -1, ("alice", 8): 0}
