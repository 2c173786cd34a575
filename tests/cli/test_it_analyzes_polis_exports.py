"""``tracktwo analyze PATH`` on real Pol.is exports: the summary, the JSON form, the replay."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

CANADA = "polis-opendata/canadian-electoral-reform"
EXPORT_2025 = "polis-math/csv-export-test"


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "analyze", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_it_prints_a_readable_summary(shared_data):
    done = analyze(str(shared_data / CANADA))

    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Participants: 448" in out
    assert "Statements: 174 (22 moderated out, 0 meta)" in out
    assert "Votes: 11,950 (12,018 cast)" in out
    # 281 pass the 7-vote rule, as Pol.is grouped; k is the silhouette's choice on a static run
    assert re.search(r"281 participants in [2-5] opinion groups", out)
    for title in (
        "Common ground: most participants agree",
        "Common ground: most participants disagree",
        "Group 0 (",
        "Group 1 (",
        "Divisive: the groups differ most",
        "Uncertain: many passes",
    ):
        assert title in out
    # statement texts, with the group's agree share
    assert "It’s important to increase voter education." in out
    assert "I am pleased with the current electoral system." in out
    assert "of the group agree" in out
    assert done.stderr == ""  # a small conversation: no progress lines


def test_it_prints_the_json_form(shared_data):
    done = analyze(str(shared_data / CANADA), "--json")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    groups = result["groups"]
    assert [g["id"] for g in groups] == list(range(len(groups)))
    assert sum(g["size"] for g in groups) == result["counts"]["n_in_conv"] == 281
    assert all(g["size"] == len(g["members"]) for g in groups)
    assert set(result["consensus"]) >= {"agree", "disagree"}
    assert set(result["repness"]) == {str(g["id"]) for g in groups}
    assert len(result["projection"]) == 448
    assert result["statements"]["13"]["text"] == "I am pleased with the current electoral system."


def test_it_limits_the_groups_and_is_deterministic(shared_data):
    path = str(shared_data / "polis-opendata" / "scoop-hivemind.ubi")

    first = analyze(path, "--json", "--max-groups", "2", "--seed", "3")
    again = analyze(path, "--json", "--max-groups", "2", "--seed", "3")

    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    result = json.loads(first.stdout)
    assert len(result["groups"]) <= 2
    assert result["params"]["max_groups"] == 2
    assert result["params"]["seed"] == 3


def test_it_replays_the_votes_with_progress_on_stderr(shared_data):
    done = analyze(str(shared_data / CANADA), "--replay", "--replay-batch", "0.05")

    assert done.returncode == 0, done.stderr
    assert "replayed in time order" in done.stdout
    progress = done.stderr.splitlines()
    assert progress[-1].startswith("tracktwo analyze: replay batch 20/20: 11,950 votes")
    assert len(progress) == 11  # every tenth of the way, and the end


def test_it_replays_quietly(shared_data):
    done = analyze(str(shared_data / CANADA), "--replay", "--quiet", "--json")

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["counts"]["n_votes"] == 11950
    assert result["counts"]["n_vote_events"] == 12018


def test_it_replays_in_the_order_of_arrival_when_the_export_has_no_times(shared_data):
    path = shared_data / EXPORT_2025 / "2025-08-29-0002-7btrabcujr-participant-votes.csv"

    done = analyze(str(path), "--replay", "--replay-batch", "0.1", "--json")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["n_votes"] == 1417


@pytest.mark.parametrize(
    "path",
    [
        EXPORT_2025,
        f"{EXPORT_2025}/2025-08-29-0002-7btrabcujr-votes.csv",
        "polis-math/25ptpt-3gp-no-strict-with-meta",
    ],
)
def test_it_reads_every_export_style(shared_data, path):
    done = analyze(str(shared_data / path), "--json")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["counts"]["n_groups"] >= 1
