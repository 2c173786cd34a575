"""A participant's notices (their statement was accepted, redacted, rejected): marking them read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tracktwo.dialogues.models import Notice, Participant


@transaction.atomic
def mark_notices_read(participant: Participant, notice_ids: list[int] | None = None) -> int:
    """Mark the participant's unread notices read (only ``notice_ids`` when given); returns
    how many. An explicit act, from a POST: showing notices never marks them."""
    unread = Notice.objects.filter(participant=participant, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=notice_ids)
    return unread.update(read_at=timezone.now())
