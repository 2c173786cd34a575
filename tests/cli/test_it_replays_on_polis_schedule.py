"""``tracktwo analyze --replay``: Pol.is's poll schedule by default, and the options that shape it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from tracktwo.analysis.engine import reload, update
from tracktwo.analysis.polis_io import read_polis
from tracktwo.analysis.replay import (
    POLIS_CADENCE,
    REPLAY_BATCHES,
    PollCadence,
    batches_of,
    replay,
    take,
)
from tracktwo.analysis.result import AnalysisParams

CANADA = "polis-opendata/canadian-electoral-reform"


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "analyze", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def batches_done(done: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    match = re.match(r"tracktwo analyze: replay batch (\d+)/(\d+):", done.stderr.splitlines()[-1])
    assert match, done.stderr
    return int(match.group(1)), int(match.group(2))


@pytest.fixture(scope="module")
def default_replay(shared_data):
    """``analyze --replay --json`` on the Canadian export: its progress and its result, read
    by two tests (a replay of the whole export is this file's longest step)."""
    return analyze(str(shared_data / CANADA), "--replay", "--json")


def test_it_replays_pol_is_schedule_by_default(default_replay):
    done = default_replay

    assert done.returncode == 0, done.stderr
    finished, total = batches_done(done)
    assert finished == total
    assert REPLAY_BATCHES // 2 < total <= REPLAY_BATCHES  # 11,678 polls found votes, merged


def test_it_bounds_the_number_of_batches(shared_data):
    done = analyze(str(shared_data / CANADA), "--replay", "--replay-updates", "40", "--json")

    assert done.returncode == 0, done.stderr
    assert batches_done(done)[1] <= 40
    assert json.loads(done.stdout)["counts"]["n_votes"] == 11950


def test_it_waits_for_an_update_that_takes_time(shared_data):
    events = read_polis(shared_data / CANADA)
    expected = len(batches_of(events, PollCadence(update_seconds=86400.0)))

    done = analyze(
        str(shared_data / CANADA),
        "--replay",
        "--replay-updates",
        "0",
        "--replay-update-seconds",
        "86400",
        "--json",
    )

    assert done.returncode == 0, done.stderr
    assert batches_done(done) == (expected, expected)


def test_it_ends_with_a_restart_of_pol_is_worker_unless_told_not_to(shared_data, default_replay):
    events = read_polis(shared_data / CANADA)
    params = AnalysisParams(seed=0)
    plain = replay(events, params, POLIS_CADENCE)
    restarted = update(reload(plain), take(events, np.zeros(0, np.int64)))

    default = default_replay
    without = analyze(
        str(shared_data / CANADA), "--replay", "--replay-without-restart", "--quiet", "--json"
    )

    assert default.returncode == 0, default.stderr
    assert without.returncode == 0, without.stderr
    assert json.loads(default.stdout) == json.loads(json.dumps(restarted.to_json()))
    assert json.loads(without.stdout) == json.loads(json.dumps(plain.to_json()))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--replay-updates", "10"], "--replay-updates needs --replay"),
        (["--replay-without-restart"], "--replay-without-restart needs --replay"),
        (["--replay", "--replay-updates", "-1"], "--replay-updates must be at least 0"),
        (["--replay", "--replay-updates", "many"], "--replay-updates must be a whole number"),
        (["--replay", "--replay-update-seconds", "-2"], "--replay-update-seconds must be"),
        (["--replay", "--replay-update-seconds", "soon"], "--replay-update-seconds must be"),
        (
            ["--replay", "--replay-updates", "10", "--replay-batch", "0.1"],
            "--replay-batch replaces Pol.is's schedule",
        ),
    ],
)
def test_it_names_a_bad_replay_option(shared_data, options, message):
    done = analyze(str(shared_data / CANADA), *options)

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("tracktwo analyze: ")
    assert message in done.stderr
