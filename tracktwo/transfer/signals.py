"""What the transfer app does when the safety app purges a dialogue's content.

A retention purge (:func:`tracktwo.safety.retention.purge_expired`) deletes everything
participants brought to a dialogue. Its briefs are made of that content (statement texts,
tallies), so they go too, drafts and issued copies alike: the copies' links stop working.
The transfer log keeps its entries (it is the initiative's own record); an entry's link to
a deleted brief is cleared. Sessions' briefs already went with the sessions.
"""

from __future__ import annotations

from typing import Any

from tracktwo.dialogues.models import Dialogue
from tracktwo.safety.audit import Actor, record
from tracktwo.transfer.models import Brief


def purge_briefs(sender: Any, dialogue_ids: list[int], **kwargs: Any) -> None:
    for dialogue in Dialogue.objects.filter(pk__in=dialogue_ids):
        count, _ = Brief.objects.filter(dialogue=dialogue).delete()
        if count:
            record(
                "brief.purged",
                actor=Actor.system(),
                initiative_id=dialogue.initiative_id,
                target_type="dialogue",
                target_id=dialogue.pk,
                details={"rows": count},
            )
