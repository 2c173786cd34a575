"""``tracktwo analyze PATH --parties FILE``: the cross-side section in the summary and the JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import polars as pl
import pytest

BREXIT = "polis-opendata/brexit-consensus"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "analysis.schema.json"


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "analyze", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def parties_from_polis_groups(shared_data: Path, tmp_path: Path) -> Path:
    """Pol.is's own groups as stand-in declared sides, plus one id absent from the votes."""
    frame = pl.read_csv(shared_data / BREXIT / "participants-votes.csv", infer_schema_length=0)
    grouped = frame.filter(pl.col("group-id").is_not_null() & (pl.col("group-id") != ""))
    lines = ["participant,party"]
    lines += [
        f"{p},side-{g}" for p, g in zip(grouped["participant"], grouped["group-id"], strict=True)
    ]
    lines.append("999999,side-0")
    path = tmp_path / "parties.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_it_adds_the_cross_side_keys_to_the_json(shared_data, parties_from_polis_groups):
    done = analyze(str(shared_data / BREXIT), "--json", "--parties", str(parties_from_polis_groups))

    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    cross = document["cross_party"]
    assert set(cross["parties"]) == {"side-0", "side-1"}
    assert cross["common_ground"], "Pol.is's two groups share some statements"
    for entry in cross["common_ground"]:
        for side in ("side-0", "side-1"):
            support = entry["support"][side]
            assert support["low"] >= 0.6
            assert support["agree"] + support["disagree"] + support["pass"] == support["n"]
    assert cross["divides"]
    assert set(document["bridging"]) <= {str(s) for s in document["statements"]}
    assert "999999" in done.stderr and "warning" in done.stderr


def test_it_adds_a_cross_side_section_to_the_summary(shared_data, parties_from_polis_groups):
    done = analyze(str(shared_data / BREXIT), "--parties", str(parties_from_polis_groups))

    assert done.returncode == 0, done.stderr
    assert "side-0" in done.stdout and "side-1" in done.stdout


def test_it_refuses_a_party_file_with_one_side(shared_data, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("participant,party\n0,only\n1,only\n2,only\n")

    done = analyze(str(shared_data / BREXIT), "--parties", str(path))

    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_it_names_a_missing_party_file(shared_data, tmp_path):
    done = analyze(str(shared_data / BREXIT), "--parties", str(tmp_path / "nope.csv"))

    assert done.returncode == 2
    assert "nope.csv: no such file" in done.stderr
