"""``tracktwo analyze`` on a user's mistakes: exit 2, one line on stderr, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

CANADA = "polis-opendata/canadian-electoral-reform"


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "analyze", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def refused(done: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("tracktwo analyze: ")
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_it_names_a_missing_path(tmp_path):
    refused(analyze(str(tmp_path / "nowhere")), "nowhere: no such file or folder")


def test_it_names_the_line_of_a_malformed_vote(tmp_path):
    (tmp_path / "votes.csv").write_text(
        "timestamp,datetime,comment-id,voter-id,vote\n1700000000,x,1,1,1\n1700000001,x,1,2,up\n"
    )
    refused(analyze(str(tmp_path)), "votes.csv:3: vote: 'up' is not 1, 0 or -1")


def test_it_names_an_empty_export(tmp_path):
    (tmp_path / "votes.csv").write_text("timestamp,datetime,comment-id,voter-id,vote\n")
    refused(analyze(str(tmp_path)), "votes.csv: no votes")


def test_it_names_a_folder_that_is_not_an_export(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    refused(analyze(str(tmp_path)), "no Pol.is votes file")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--max-groups", "many"], "--max-groups must be a whole number, got 'many'"),
        (["--max-groups", "0"], "--max-groups must be at least 1, got 0"),
        (["--seed", "-1"], "--seed must be at least 0, got -1"),
        (["--seed", "1.5"], "--seed must be a whole number"),
        (["--replay", "--replay-batch", "2"], "--replay-batch must be above 0 and at most 1"),
        (["--replay", "--replay-batch", "x"], "--replay-batch must be a number"),
        (["--replay-batch", "0.1"], "--replay-batch needs --replay"),
    ],
)
def test_it_names_a_bad_option(shared_data, options, message):
    refused(analyze(str(shared_data / CANADA), *options), message)
