"""Safety actions: wipe, purge and key rotation, with permission checks and audit rows.

``by`` is the signed-in user asking (a convener of the initiative), or None for the
operator at the command line (``tracktwo keys``, ``tracktwo purge``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues import permissions
from tracktwo.dialogues.errors import NotFound
from tracktwo.dialogues.models import Initiative
from tracktwo.safety import datakeys, retention
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import InitiativeRotation, MasterRotation
from tracktwo.safety.retention import Purged, Wiped

__all__ = [
    "InitiativeRotation",
    "MasterRotation",
    "Purged",
    "Wiped",
    "purge_expired",
    "rotate_initiative_key",
    "rotate_master_key",
    "wipe_initiative",
]


def _actor(by: User | None) -> Actor:
    return Actor.operator() if by is None else Actor.user(by)


def _initiative(initiative: Initiative | int) -> Initiative:
    if isinstance(initiative, Initiative):
        return initiative
    found = Initiative.objects.filter(pk=initiative).first()
    if found is None:
        raise NotFound(_("initiative %(id)s does not exist") % {"id": initiative})
    return found


def wipe_initiative(
    initiative: Initiative | int, by: User | None, *, rotate_master: bool = True
) -> Wiped:
    """Emergency wipe: destroy the initiative's data key and delete all its rows (audited).

    Conveners of the initiative, or the operator (``by=None``). Then the master key is
    rotated so an old backup's copy of the data key cannot be unwrapped; read
    ``Wiped.warning`` when ``Wiped.master_rotated`` is false.
    """
    target = _initiative(initiative)
    if by is not None:
        permissions.require(permissions.can_convene(by, target), _("wipe this initiative"))
    try:
        return retention.wipe(target.pk, actor=_actor(by), rotate_master=rotate_master)
    except retention.NoSuchInitiative as exc:
        raise NotFound(str(exc)) from None


def purge_expired(now: datetime | None = None, by: User | None = None) -> list[Purged]:
    """Apply every initiative's retention period (operator, or a scheduled job)."""
    return retention.purge_expired(now, actor=Actor.system() if by is None else Actor.user(by))


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


def rotate_initiative_key(initiative: Initiative | int, by: User | None) -> InitiativeRotation:
    """Re-encrypt an initiative's rows under a new data key (conveners or operator; audited)."""
    target = _initiative(initiative)
    if by is not None:
        permissions.require(permissions.can_convene(by, target), _("rotate this initiative's key"))
    with transaction.atomic():
        rotation = datakeys.rotate_initiative_key(target.pk)
        record(
            "keys.initiative_rotated",
            actor=_actor(by),
            initiative_id=target.pk,
            target_type="initiative",
            target_id=target.pk,
            details={"version": rotation.version, "resealed": rotation.values_resealed},
        )
    return rotation
