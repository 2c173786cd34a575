"""Safety's own actions: the retention purge and the master key's rotation, audited.

``by`` is the user asking, or None for the operator at the command line (``tracktwo
keys``, ``tracktwo purge``). Wiping an initiative and rotating its data key check that the
caller convenes it, so they are the initiatives app's actions
(:mod:`tracktwo.initiatives.actions`), built on :mod:`tracktwo.safety.retention`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from tracktwo.safety import datakeys, retention
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import MasterRotation
from tracktwo.safety.retention import Purged, Wiped

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

__all__ = [
    "MasterRotation",
    "Purged",
    "Wiped",
    "purge",
    "purge_expired",
    "rotate_master_key",
]


def purge_expired(now: datetime | None = None, by: AbstractBaseUser | None = None) -> list[Purged]:
    """Apply every initiative's retention period (operator, or a scheduled job)."""
    return retention.purge_expired(now, actor=Actor.system() if by is None else Actor.user(by))


def purge(
    now: datetime | None = None, by: AbstractBaseUser | None = None
) -> tuple[list[Purged], dict[str, int]]:
    """:func:`purge_expired`, with the counts of rows past their own expiry (prepared
    files, back-channel messages) by kind: what ``tracktwo purge`` reports."""
    return retention.purge(now, actor=Actor.system() if by is None else Actor.user(by))


def rotate_master_key(*, keep_old: bool = False) -> MasterRotation:
    """Operator only: a new master key file, every data key re-wrapped (audited)."""
    rotation = datakeys.rotate_master_key(keep_old=keep_old)
    with transaction.atomic():
        record(
            "keys.master_rotated",
            actor=Actor.operator(),
            details={
                "reason": "rotate",
                "rewrapped": rotation.data_keys_rewrapped,
                "kept_old": keep_old,
            },
        )
    return rotation
