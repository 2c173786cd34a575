"""Everything written in the back-channel is sealed at rest: the raw bytes of a SQLite
database and its write-ahead log hold none of it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from backchannel_canaries import CANARIES

HERE = Path(__file__).resolve().parent


def test_it_leaves_no_back_channel_canary_in_the_sqlite_files(tmp_path: Path) -> None:
    database = tmp_path / "canary.sqlite3"
    environ = {
        **os.environ,
        "TRACKTWO_DATA_DIR": str(tmp_path),
        "TRACKTWO_MASTER_KEY_FILE": str(tmp_path / "keys" / "master.key"),
        "DATABASE_URL": f"sqlite:///{database}",
        # this checkout's tracktwo, not whichever one the interpreter would find first
        "PYTHONPATH": os.pathsep.join((str(HERE), str(HERE.parent.parent))),
    }
    environ.pop("TRACKTWO_TEST_ON_POSTGRES", None)
    result = subprocess.run(
        [sys.executable, str(HERE / "backchannel_canaries.py")],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
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
