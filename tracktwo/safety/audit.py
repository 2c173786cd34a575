"""Writing the audit log: who did what sensitive thing, by opaque id, with no confidential text.

Use :func:`record` from inside the action's transaction, so the row exists if and only
if the action happened. ``details`` may hold only ids, counts, flags and short slugs
(``[a-z0-9._:-]``, at most 64 characters): free text is refused, so a title, handle or
statement cannot slip into the log by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracktwo.safety.models import ActorKind, AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

_SLUG = re.compile(r"[a-z0-9._:-]{0,64}")
_ACTION = re.compile(r"[a-z][a-z0-9_.-]{1,63}")
_TARGET = re.compile(r"[A-Za-z0-9._:-]{0,64}")


class AuditDetailError(ValueError):
    """Audit details that could carry confidential text."""


@dataclass(frozen=True)
class Actor:
    """Who acted: a signed-in user, a participant (by public id), the operator, or the system."""

    kind: str
    id: str

    @classmethod
    def user(cls, user: AbstractBaseUser | AnonymousUser) -> Actor:
        if user.pk is None:
            raise ValueError("an anonymous user cannot be an audit actor")
        return cls(ActorKind.USER, str(user.pk))

    @classmethod
    def participant(cls, public_id: str) -> Actor:
        return cls(ActorKind.PARTICIPANT, public_id)

    @classmethod
    def operator(cls) -> Actor:
        return cls(ActorKind.OPERATOR, "operator")

    @classmethod
    def system(cls) -> Actor:
        return cls(ActorKind.SYSTEM, "system")


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    for key, value in details.items():
        if not _SLUG.fullmatch(key):
            raise AuditDetailError(f"audit detail key {key!r} is not a short slug")
        if value is None or isinstance(value, bool | int):
            continue
        if isinstance(value, str) and _SLUG.fullmatch(value):
            continue
        if isinstance(value, list | tuple) and all(
            isinstance(item, int) and not isinstance(item, bool) for item in value
        ):
            continue
        raise AuditDetailError(
            f"audit detail {key!r} must be an id, count, flag or short slug, not free text"
        )
    return dict(details)


def record(
    action: str,
    *,
    actor: Actor,
    initiative_id: int | None = None,
    target_type: str = "",
    target_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event (e.g. ``record("identity.viewed", actor=Actor.user(u), ...)``)."""
    if not _ACTION.fullmatch(action):
        raise AuditDetailError(f"audit action {action!r} is not a dotted slug")
    if not _SLUG.fullmatch(target_type) or not _TARGET.fullmatch(str(target_id)):
        raise AuditDetailError("audit target type and id must be short slugs or ids")
    return AuditEvent.objects.create(
        actor_kind=actor.kind,
        actor_id=actor.id,
        action=action,
        initiative_id=initiative_id,
        target_type=target_type,
        target_id=str(target_id),
        details=_check_details(details or {}),
    )


def events_for(initiative_id: int) -> list[AuditEvent]:
    """The audit trail of one initiative, oldest first (it survives the initiative's wipe)."""
    return list(AuditEvent.objects.filter(initiative_id=initiative_id).order_by("id"))
