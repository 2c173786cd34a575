"""``tracktwo select``: a panel from CSV files, as JSON or a summary; mistakes in one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

POOL = "id,side,gender,home\n" + "".join(
    f"c{i},{'AB'[i % 2]},{('woman', 'man')[(i // 2) % 2]},h{i // 3}\n" for i in range(24)
)
QUOTAS = "category,value,min,max\nside,A,2,3\nside,B,2,3\ngender,woman,2,3\ngender,man,2,3\n"


def select(tmp_path: Path, *args: str, hash_seed: str = "0") -> subprocess.CompletedProcess[str]:
    (tmp_path / "pool.csv").write_text(POOL, encoding="utf-8")
    if not (tmp_path / "quotas.csv").exists():
        (tmp_path / "quotas.csv").write_text(QUOTAS, encoding="utf-8")
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path), "PYTHONHASHSEED": hash_seed}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tracktwo.cli",
            "select",
            str(tmp_path / "pool.csv"),
            "--quotas",
            str(tmp_path / "quotas.csv"),
            *args,
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_it_prints_the_panel_as_json_the_same_in_every_process(tmp_path: Path) -> None:
    args = ("--panel-size", "5", "--seed", "9", "--household-column", "home", "--json")
    first = select(tmp_path, *args, hash_seed="1")
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)
    assert set(out) == {"selected", "probabilities", "seed", "algorithm"}
    assert out["seed"] == 9 and out["algorithm"] == "maximin" and len(out["selected"]) == 5
    assert abs(sum(out["probabilities"].values()) - 5) < 1e-4
    homes = [int(key[1:]) // 3 for key in out["selected"]]
    assert len(homes) == len(set(homes))
    again = select(tmp_path, *args, hash_seed="2")
    assert json.loads(again.stdout)["selected"] == out["selected"]


def test_it_names_the_quota_that_cannot_be_met_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "quotas.csv").write_text(
        QUOTAS.replace("side,A,2,3", "side,A,13,14"), encoding="utf-8"
    )
    result = select(tmp_path, "--panel-size", "5", "--seed", "1")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("tracktwo select: quota")
    lines = [line for line in result.stderr.splitlines() if line.startswith("tracktwo select:")]
    assert len(lines) == 1 and "side=A" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_it_refuses_leximin_without_gurobi_and_bad_files_without_a_traceback(
    tmp_path: Path,
) -> None:
    result = select(tmp_path, "--panel-size", "5", "--seed", "1", "--algorithm", "leximin")
    assert result.returncode == 2 and "Gurobi" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "quotas.csv").write_text("category,value,min,max\nside,A,x,3\n", encoding="utf-8")
    result = select(tmp_path, "--panel-size", "5", "--seed", "1")
    assert result.returncode == 2
    assert "line 2, field min" in result.stderr and "Traceback" not in result.stderr


def test_it_is_listed_in_the_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "select" in result.stdout and "sortition" in result.stdout
