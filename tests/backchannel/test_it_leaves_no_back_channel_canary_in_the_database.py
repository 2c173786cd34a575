"""Everything written in the back-channel is sealed at rest: the raw bytes of a SQLite
database and its write-ahead log hold none of it."""

from __future__ import annotations

from pathlib import Path

from backchannel_canaries import CANARIES
from factories import run_python, site_environ

HERE = Path(__file__).resolve().parent


def test_it_leaves_no_back_channel_canary_in_the_sqlite_files(tmp_path: Path) -> None:
    database = tmp_path / "canary.sqlite3"
    result = run_python(
        site_environ(tmp_path, database.name), str(HERE / "backchannel_canaries.py")
    )
    assert result.returncode == 0, result.stderr
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("canary."))
    leaks = [
        label
        for label, text in CANARIES.items()
        if text.encode() in blob or text.casefold().encode() in blob
    ]
    assert leaks == []
    # the search would see a leak: clear structure is there
    assert b"canary-convener" in blob and b"carried" in blob and b"held" in blob
