"""Re-votes across rounds: tracking statements, their rounds, and the shifts between rounds.

A facilitator marks statements of the dialogue as *tracking* and, at a later meeting, opens
a new round: the participants vote on the tracking statements again (through the vote
page or ``POST /api/v1/dialogues/{id}/votes``; every vote is kept, and a participant's last
vote in a round counts for it). The results compare each later round with round 1 per side
(support, its paired change with an interval), and between the sides (the distance between
them and the bridging score, with bootstrap intervals), through
:func:`tracktwo.analysis.tracking.revote_shifts`. Sides below the dialogue's small-cell
threshold are withheld. Marking and opening a round are audited with ids only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.analysis.tracking import revote_shifts
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.queries import reading
from tracktwo.evaluation.models import ReVoteRound, TrackingStatement
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, InvalidInput
from tracktwo.practice.formats import Moderation
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for

MAX_TRACKING = 50


def _facilitator(user: User | None, dialogue: Dialogue) -> User:
    permissions.require(permissions.can_facilitate(user, dialogue), _("run this survey"))
    assert user is not None
    return user


@transaction.atomic
def set_tracking(dialogue: Dialogue, user: User | None, statements: Iterable[object]) -> list[int]:
    """Mark exactly these accepted statements of the dialogue as tracking (audited)."""
    by = _facilitator(user, dialogue)
    ids: list[int] = []
    for value in statements:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(_("must be statement ids"), field="statements")
        ids.append(value)
    ids = sorted(set(ids))
    if len(ids) > MAX_TRACKING:
        raise InvalidInput(_("at most %(n)d statements") % {"n": MAX_TRACKING}, field="statements")
    found = Statement.objects.filter(
        pk__in=ids, dialogue=dialogue, moderation=Moderation.ACCEPTED, deleted_at=None
    ).count()
    if found != len(ids):
        raise InvalidInput(_("not an accepted statement of this dialogue"), field="statements")
    TrackingStatement.objects.filter(dialogue=dialogue).exclude(statement_id__in=ids).delete()
    for statement_id in ids:
        TrackingStatement.objects.get_or_create(dialogue=dialogue, statement_id=statement_id)
    record(
        "evaluation.tracking_set",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"statements": len(ids)},
    )
    return ids


@transaction.atomic
def open_round(dialogue: Dialogue, user: User | None) -> ReVoteRound:
    """Open the next round of re-votes on the tracking statements (2, 3, ...; audited)."""
    by = _facilitator(user, dialogue)
    if not TrackingStatement.objects.filter(dialogue=dialogue).exists():
        raise Conflict(_("mark tracking statements first"), field="statements")
    last = ReVoteRound.objects.filter(dialogue=dialogue).aggregate(n=Max("number"))["n"]
    opened = ReVoteRound.objects.create(dialogue=dialogue, number=(last or 1) + 1)
    record(
        "evaluation.revote_round_opened",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"round": opened.number},
    )
    return opened


def tracking_ids(dialogue: Dialogue) -> list[int]:
    return list(
        TrackingStatement.objects.filter(dialogue=dialogue)
        .order_by("statement_id")
        .values_list("statement_id", flat=True)
    )


def current_round(dialogue: Dialogue) -> int:
    last = ReVoteRound.objects.filter(dialogue=dialogue).aggregate(n=Max("number"))["n"]
    return int(last or 1)


def to_revote(participant: Participant) -> list[dict[str, Any]]:
    """For a participant, once a later round is open: the tracking statements and their own
    vote in this round (None before they vote again)."""
    dialogue = participant.dialogue
    latest = ReVoteRound.objects.filter(dialogue=dialogue).order_by("-number").first()
    if latest is None:
        return []
    box = box_for(dialogue.initiative_id)
    out = []
    for statement in Statement.objects.filter(pk__in=tracking_ids(dialogue)).order_by("id"):
        vote = (
            Vote.objects.filter(
                participant=participant, statement=statement, created_at__gte=latest.opened_at
            )
            .order_by("-id")
            .values_list("value", flat=True)
            .first()
        )
        out.append({"id": statement.pk, "text": statement.text.read(box), "vote": vote})
    return out


def _long_votes(dialogue: Dialogue) -> tuple[list[str], list[str], list[int], list[int], list[int]]:
    box = box_for(dialogue.initiative_id)
    names = reading.party_names(dialogue.initiative_id, box)
    opened = [r.opened_at for r in ReVoteRound.objects.filter(dialogue=dialogue).order_by("number")]
    sides: dict[int, str] = {}
    for participant in Participant.objects.filter(dialogue=dialogue):
        party = participant.profile.read(box).get("party")
        sides[participant.pk] = names.get(int(party), "") if party is not None else ""
    who: list[str] = []
    side: list[str] = []
    statement: list[int] = []
    round_: list[int] = []
    value: list[int] = []
    votes = Vote.objects.filter(dialogue=dialogue, statement_id__in=tracking_ids(dialogue))
    for vote in votes.order_by("id"):
        if not sides.get(vote.participant_id):
            continue
        who.append(str(vote.participant_id))
        side.append(sides[vote.participant_id])
        statement.append(vote.statement_id)
        round_.append(1 + sum(1 for at in opened if vote.created_at >= at))
        value.append(vote.value)
    return who, side, statement, round_, value


def results(dialogue: Dialogue) -> dict[str, Any]:
    """The tracking statements, the rounds and the shifts, small sides withheld."""
    box = box_for(dialogue.initiative_id)
    threshold = int(dialogue.small_cell_threshold)
    texts = {
        s.pk: s.text.read(box) for s in Statement.objects.filter(pk__in=tracking_ids(dialogue))
    }
    found = revote_shifts(*_long_votes(dialogue), min_cell=threshold)
    return {
        "statements": [{"id": k, "text": texts[k]} for k in sorted(texts)],
        "rounds": current_round(dialogue),
        "sides": [asdict(s) for s in found.sides if s.statement in texts],
        "gaps": [asdict(g) for g in found.gaps if g.statement in texts],
        "min_cell": threshold,
        "level": found.level,
    }
