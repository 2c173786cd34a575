"""Keys and the audit log.

- :class:`InitiativeKey`: one initiative's data key, wrapped by the master key. Every
  confidential value of the initiative is sealed under it (see :mod:`tracktwo.safety.datakeys`).
  Destroying this row (and rotating the master key) is what makes a wiped initiative
  unreadable in old backups.
- :class:`SiteSecret`: the secret site-wide purpose keys derive from (e.g. TOTP seeds),
  wrapped by the master key so that rotating the master key leaves it unchanged.
- :class:`AuditEvent`: the append-only log of sensitive actions. It has no foreign key
  to the initiative on purpose: a wipe deletes the initiative, not its audit trail.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models


class InitiativeKey(models.Model):
    """The current data key of one initiative, sealed under the master key.

    ``version`` goes up by one at each rotation of this initiative's key; sealed values
    carry the version they were written under. ``master_fingerprint`` names the master
    key that wrapped it, so a process holding an older master key notices and reloads.
    """

    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="data_key"
    )
    version = models.PositiveIntegerField(default=1)
    wrapped = models.BinaryField()
    master_fingerprint = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "safety_initiativekey"

    def __str__(self) -> str:
        return f"data key v{self.version} of initiative {self.initiative_id}"


class SiteSecret(models.Model):
    """A site-wide secret (one row named ``site``) wrapped by the master key."""

    name = models.CharField(max_length=40, unique=True)
    version = models.PositiveIntegerField(default=1)
    wrapped = models.BinaryField()
    master_fingerprint = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "safety_sitesecret"

    def __str__(self) -> str:
        return f"site secret {self.name}"


class ActorKind(models.TextChoices):
    USER = "user"
    PARTICIPANT = "participant"
    OPERATOR = "operator"
    SYSTEM = "system"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only: they cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events are append-only: they cannot be deleted")


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit event."""


class AuditEvent(models.Model):
    """One sensitive action: who (by opaque id), what, where; never confidential text.

    ``actor_id`` is a user id, ``"operator"`` (the command line), or a participant's
    ``public_id`` -- never a handle. ``details`` holds only ids, counts and slugs
    (checked by :func:`tracktwo.safety.audit.record`).

    The table is created by migration SQL and guarded there by triggers that refuse
    UPDATE, DELETE (and on PostgreSQL TRUNCATE), so raw SQL cannot rewrite history
    either. It is unmanaged so that Django's ``flush`` (used between transactional
    tests) leaves it alone; a schema change needs a hand-written migration.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_kind = models.CharField(max_length=12, choices=ActorKind.choices)
    actor_id = models.CharField(max_length=64)
    action = models.CharField(max_length=64, db_index=True)
    initiative_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    target_type = models.CharField(max_length=40, blank=True, default="")
    target_id = models.CharField(max_length=64, blank=True, default="")
    details = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "safety_auditevent"
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_kind}:{self.actor_id} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only: they cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events are append-only: they cannot be deleted")
