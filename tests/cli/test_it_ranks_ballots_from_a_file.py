"""``tracktwo rank BALLOTS.csv``: Schulze on a ballot file, JSON or a table, clear errors."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def rank(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "rank", *args],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def ballot_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ballots.csv"
    path.write_text(text, encoding="utf-8")
    return path


def wikipedia_file(tmp_path: Path) -> Path:
    lines = [",".join(order) for count, order in WIKIPEDIA for _ in range(count)]
    return ballot_file(tmp_path, "\n".join(lines) + "\n")


def test_it_prints_the_schulze_order_as_json(tmp_path: Path) -> None:
    result = rank(tmp_path, str(wikipedia_file(tmp_path)), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "winner": "E",
        "order": ["E", "A", "C", "B", "D"],
        "ties": [],
    }


def test_it_prints_a_readable_table(tmp_path: Path) -> None:
    result = rank(tmp_path, str(wikipedia_file(tmp_path)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Schulze ranking (winning votes) of 5 candidates from 45 ballots")
    body = [line.split() for line in lines[3:8]]
    assert [row[:2] for row in body] == [["1", "E"], ["2", "A"], ["3", "C"], ["4", "B"], ["5", "D"]]
    assert body[0][2:] == ["4", "0"]  # E beats the four others, is beaten by none
    assert "Winner: E" in result.stdout


def test_it_shows_ties_and_the_tie_rule(tmp_path: Path) -> None:
    path = ballot_file(tmp_path, "Draft 2,Draft 1\nDraft 1,Draft 2\n\n")
    result = rank(tmp_path, str(path), "--json")
    assert json.loads(result.stdout) == {
        "winner": "Draft 2",
        "order": ["Draft 2", "Draft 1"],
        "ties": [["Draft 2", "Draft 1"]],
    }
    table = rank(tmp_path, str(path)).stdout
    assert "=1" in table and "by the tie rule" in table and "1 empty ballots ignored" in table


def test_it_keeps_non_ascii_candidate_texts(tmp_path: Path) -> None:
    path = ballot_file(tmp_path, "שלום,سلام\nسلام,שלום\nשלום\n")
    assert json.loads(rank(tmp_path, str(path), "--json").stdout)["winner"] == "שלום"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A,B\n\nB,,A\n", "ballots.csv:3: field 2 is empty"),
        ("A,B\nB,A,B\n", "ballots.csv:2: candidate 'B' is ranked twice (fields 1 and 3)"),
        ("\n\n", "ballots.csv: no candidates: every ballot is empty"),
        ("", "ballots.csv: no candidates: every ballot is empty"),
    ],
)
def test_it_reports_bad_ballots_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    result = rank(tmp_path, str(ballot_file(tmp_path, text)))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("tracktwo rank: ") and message in result.stderr


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    result = rank(tmp_path, str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"tracktwo rank: {tmp_path / 'nope.csv'}: no such file"


def test_it_imports_no_django(tmp_path: Path) -> None:
    path = wikipedia_file(tmp_path)
    probe = (
        "import sys; from tracktwo.cli import main; "
        f"code = main(['rank', {str(path)!r}, '--json']); "
        "assert code == 0; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
