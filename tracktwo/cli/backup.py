"""``tracktwo backup -o FILE``: the database to one file, without any key.

PostgreSQL through ``pg_dump``, SQLite through its online backup API (the site may keep
running). Sealed values stay sealed and the master key is never written into the file:
restoring it needs the master key it was made under (:mod:`tracktwo.safety.backup`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracktwo.cli import UsageError, start_django


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE")
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")


def run(args: argparse.Namespace) -> int:
    out: Path = args.output
    if out.is_dir():
        raise UsageError(f"-o {out}: is a folder; give a file name")
    if out.exists() and not args.force:
        raise UsageError(f"-o {out}: already exists (use --force to replace it)")
    if not out.parent.is_dir():
        raise UsageError(f"-o {out}: the folder {out.parent} does not exist")
    start_django()
    from tracktwo.safety.backup import BackupError, write_backup

    try:
        manifest = write_backup(out)
    except BackupError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"-o {out}: {exc.strerror or exc}") from None
    print(
        f"wrote a {manifest.engine} backup to {out} ({out.stat().st_size} bytes); "
        f"it opens only with the master key {manifest.master_fingerprint}, which is not in it"
    )
    return 0
