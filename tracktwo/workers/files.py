"""Where a prepared file lives: sealed, under ``TRACKTWO_JOBS_DIR``, named by its job's key.

The bytes are sealed with the initiative's data key (bound to the job's key), so a file
copied off the disk, or left behind by a crash, opens for no one once the initiative is
wiped; the file is also deleted with its row (:func:`forget_file`, after the commit).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from tracktwo.safety.sealed import Box


def folder() -> Path:
    path = Path(settings.TRACKTWO_JOBS_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(key: str) -> Path:
    if not key.isalnum():  # keys are made by secrets.token_hex: never a path
        raise ValueError("not a job key")
    return folder() / f"{key}.sealed"


def _where(key: str) -> str:
    return f"prepared-file:{key}"


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (mode 600) so that it appears whole or not at all."""
    partial = path.with_name(f".{path.name}.partial-{secrets.token_hex(4)}")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def store(key: str, box: Box, body: bytes) -> None:
    """Seal ``body`` with the initiative's data key and write it as the job's file."""
    write_whole(path_of(key), box.seal_bytes(body, _where(key)))


def read(key: str, box: Box) -> bytes | None:
    """The job's file opened, or None when it is gone."""
    try:
        sealed = path_of(key).read_bytes()
    except FileNotFoundError:
        return None
    return box.open_bytes(sealed, _where(key))


def remove(key: str) -> None:
    with contextlib.suppress(ValueError):
        path_of(key).unlink(missing_ok=True)


def forget_file(sender: Any, instance: Any, **_: Any) -> None:
    """``post_delete`` of a job: its file goes once the deletion commits."""
    key = str(instance.key)
    transaction.on_commit(lambda: remove(key))
