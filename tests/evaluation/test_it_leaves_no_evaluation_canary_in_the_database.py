"""Everything written for the evaluation is sealed at rest: the raw bytes of a SQLite
database and its write-ahead log hold none of it."""

from __future__ import annotations

from pathlib import Path

from evaluation_canaries import CANARIES
from factories import run_python, site_environ

HERE = Path(__file__).resolve().parent


def test_it_leaves_no_evaluation_canary_in_the_sqlite_files(tmp_path: Path) -> None:
    database = tmp_path / "canary.sqlite3"
    result = run_python(site_environ(tmp_path, database.name), str(HERE / "evaluation_canaries.py"))
    assert result.returncode == 0, result.stderr
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("canary."))
    leaks = [
        label
        for label, text in CANARIES.items()
        if text.encode() in blob or text.casefold().encode() in blob
    ]
    assert leaks == []
    # the search would see a leak: clear structure is there
    assert b"canary-ev-convener" in blob and b"thermometer" in blob
