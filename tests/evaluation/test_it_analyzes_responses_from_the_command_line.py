"""``tracktwo evaluation analyze RESPONSES.csv``: known effects recovered, small sides
withheld, bad rows refused with the line number and field (exit 2, no traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tracktwo.cli import main


def _write(path: Path, rows: list[tuple[object, ...]]) -> Path:
    lines = ["respondent,side,wave,measure,value"] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _synthetic(tmp_path: Path) -> Path:
    """Upstream: 40 people, thermometer +10 after, +6 at follow-up; Downstream: 20 people, +5."""
    rng = np.random.default_rng(7)
    rows: list[tuple[object, ...]] = []
    for i in range(40):
        before = rng.normal(40, 10)
        rows += [(f"u{i}", "Upstream", "pre", "thermometer", round(before, 3))]
        rows += [
            (f"u{i}", "Upstream", "post", "thermometer", round(before + 10 + rng.normal(0, 2), 3))
        ]
        if i < 30:  # ten people did not answer the follow-up
            rows += [
                (
                    f"u{i}",
                    "Upstream",
                    "follow-up",
                    "thermometer",
                    round(before + 6 + rng.normal(0, 2), 3),
                )
            ]
    for i in range(20):
        rows += [
            (f"d{i}", "Downstream", "pre", "thermometer", 50),
            (f"d{i}", "Downstream", "post", "thermometer", 55),
        ]
    rows += [("d0", "Downstream", "post", "trust", "")]  # a skipped item
    return _write(tmp_path / "responses.csv", rows)


def test_it_recovers_known_effects_and_withholds_small_sides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluation", "analyze", str(_synthetic(tmp_path)), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["min_cell"] == 5 and document["level"] == 0.95
    rows = {
        (r["side"], r["comparison"]): r
        for r in document["results"]
        if r["measure"] == "thermometer"
    }
    post = rows[("Upstream", "post-pre")]
    assert set(post) == {
        "measure",
        "side",
        "comparison",
        "n_paired",
        "mean_change",
        "ci_low",
        "ci_high",
        "d_z",
        "withheld",
    }
    assert post["n_paired"] == 40 and abs(post["mean_change"] - 10) < 1.0
    assert post["ci_low"] < 10 < post["ci_high"] and post["d_z"] > 3
    follow = rows[("Upstream", "follow-up-pre")]
    assert follow["n_paired"] == 30 and abs(follow["mean_change"] - 6) < 1.5
    down = rows[("Downstream", "post-pre")]
    assert (down["n_paired"], down["mean_change"], down["d_z"]) == (20, 5.0, None)  # no spread
    kept = {(a["side"], a["wave"]): a["retained"] for a in document["attrition"]}
    assert kept[("Upstream", "follow-up")] == 30

    path = str(tmp_path / "responses.csv")
    assert main(["evaluation", "analyze", path, "--json", "--min-cell", "25"]) == 0
    rows = {(r["side"], r["comparison"]): r for r in json.loads(capsys.readouterr().out)["results"]}
    small = rows[("Downstream", "post-pre")]
    assert small["withheld"] is True and small["n_paired"] is None and small["mean_change"] is None
    # the total and Upstream would give Downstream's count away: one of them is withheld too
    assert rows[("all", "post-pre")]["withheld"] or rows[("Upstream", "post-pre")]["withheld"]

    assert main(["evaluation", "analyze", path]) == 0
    text = capsys.readouterr().out
    assert "Downstream" in text and "+5.00" in text


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (("r1", "Upstream", "during", "thermometer", "5"), "line 3, field wave"),
        (("r1", "Upstream", "post", "thermometer", "warm"), "line 3, field value"),
        (("r1", "Downstream", "post", "thermometer", "5"), "line 3, field side"),
        (("", "Upstream", "post", "thermometer", "5"), "line 3, field respondent"),
        (("r1", "Upstream", "post"), "line 3: expected 5 fields"),
    ],
)
def test_it_refuses_a_bad_row_with_its_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], row: tuple[str, ...], said: str
) -> None:
    path = _write(tmp_path / "bad.csv", [("r1", "Upstream", "pre", "thermometer", "5"), row])
    assert main(["evaluation", "analyze", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and said in err[0] and "Traceback" not in err[0], err


def test_it_refuses_a_bad_header_a_missing_file_and_a_bad_min_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("who,side,wave,measure,value\nr1,A,pre,x,1\n", encoding="utf-8")
    assert main(["evaluation", "analyze", str(wrong)]) == 2
    assert "line 1: the header must be" in capsys.readouterr().err
    assert main(["evaluation", "analyze", str(tmp_path / "absent.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    good = _write(tmp_path / "good.csv", [("r1", "A", "pre", "x", "1")])
    assert main(["evaluation", "analyze", str(good), "--min-cell", "0"]) == 2
    assert "--min-cell" in capsys.readouterr().err
