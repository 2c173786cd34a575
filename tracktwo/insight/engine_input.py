"""A dialogue's votes and statements in the form the opinion engine takes.

Participants appear by ``public_id`` only (random, unrelated to handles) and statements
by their database id. Texts are decrypted here for the engine's output; nothing in the
result says who wrote a statement.
"""

from __future__ import annotations

import numpy as np

from tracktwo.analysis.votes import Statements, VoteEvents, from_arrays
from tracktwo.dialogues.models import Dialogue, Participant, Session, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.initiatives.models import Party
from tracktwo.practice.formats import Moderation
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

POLIS_MODERATION: dict[str, int] = {
    Moderation.ACCEPTED: 1,
    Moderation.PENDING: 0,
    Moderation.REJECTED: -1,
}


def dialogue_statements(dialogue: Dialogue, box: Box | None = None) -> Statements:
    """Every statement of the dialogue in id order, texts decrypted.

    Moderation uses Pol.is's values: accepted 1, pending 0, rejected -1. A statement its
    author deleted counts as moderated out (-1) and has no text, so its votes drop out.
    """
    box = box or box_for(dialogue.initiative_id)
    rows = (
        Statement.objects.filter(dialogue=dialogue)
        .order_by("id")
        .values_list("pk", "text_sealed", "moderation", "deleted_at", "is_meta")
    )
    ids: list[int] = []
    texts: list[str | None] = []
    moderated: list[int] = []
    meta: list[bool] = []
    where = Statement.text.where
    for pk, sealed, moderation, deleted_at, is_meta in rows:
        ids.append(pk)
        if deleted_at is not None:
            texts.append(None)
            moderated.append(-1)
        else:
            texts.append(box.open_text(sealed, where))
            moderated.append(POLIS_MODERATION[moderation])
        meta.append(bool(is_meta))
    return Statements(
        tuple(ids), tuple(texts), np.array(moderated, np.int8), np.array(meta, np.bool_)
    )


def session_statements(statements: Statements, session: Session) -> Statements:
    """The statements written in ``session``, out of the dialogue's ``statements``."""
    in_session = set(
        Statement.objects.filter(dialogue_id=session.dialogue_id, session=session).values_list(
            "pk", flat=True
        )
    )
    keep = np.array([sid in in_session for sid in statements.ids], dtype=np.bool_)
    return Statements(
        tuple(sid for sid, k in zip(statements.ids, keep, strict=True) if k),
        tuple(text for text, k in zip(statements.texts, keep, strict=True) if k),
        statements.moderated[keep],
        statements.is_meta[keep],
    )


def dialogue_vote_events(
    dialogue: Dialogue, statements: Statements | None = None, *, only_these: bool = False
) -> VoteEvents:
    """Every vote event of the dialogue in the order cast, with timestamps.

    ``VoteEvents.latest()`` then keeps each participant's last vote per statement.
    Pass ``statements`` (from :func:`dialogue_statements`) to carry texts and moderation;
    with ``only_these``, only the votes on those statements (e.g. one session's).
    """
    votes = Vote.objects.filter(dialogue=dialogue)
    if only_these and statements is not None:
        votes = votes.filter(statement_id__in=list(statements.ids))
    rows = list(
        votes.order_by("id").values_list(
            "participant__public_id", "statement_id", "value", "created_at"
        )
    )
    participants = np.array([row[0] for row in rows], dtype=object)
    statement_ids = np.array([row[1] for row in rows], dtype=np.int64)
    values = np.array([row[2] for row in rows], dtype=np.int8)
    times = np.array([row[3].timestamp() for row in rows], dtype=np.float64)
    return from_arrays(participants, statement_ids, values, times, statements)


def participant_parties(dialogue: Dialogue, box: Box | None = None) -> dict[str, str]:
    """Each participant's party name by ``public_id`` (decrypted), for per-side analysis."""
    box = box or box_for(dialogue.initiative_id)
    names = {
        party.pk: party.name.read(box)
        for party in Party.objects.filter(initiative_id=dialogue.initiative_id)
    }
    result: dict[str, str] = {}
    for participant in Participant.objects.filter(dialogue=dialogue).only(
        "public_id", "profile_sealed", "dialogue_id"
    ):
        profile = Profile.from_json(participant.profile.read(box))
        result[participant.public_id] = names.get(profile.party_id, "")
    return result
