"""Participation per party for the live dashboard, kept up to date incrementally per process.

The dashboard's participation table (:func:`tracktwo.insight.views.participation`) counts,
per party, the active participants who joined, how many of them voted, and their vote rows.
The party of each participant is sealed in their profile, so counting it from nothing
opens every profile (100,000 decryptions at 100,000 participants: seconds) and groups every
vote row by participant -- on every poll that finds a new version, about once a second.

:func:`party_counts` keeps, per dialogue (LRU of :data:`MAX_DIALOGUES`), the party of every
active participant and the vote rows of each, and on each call only opens the profiles of
participants who joined since (ids above the last seen) and counts the vote rows added
since (ids above the last seen, grouped by participant). It starts over from nothing when
anything else changed: a participant withdrew or was erased (their votes go), a role
changed, or vote rows below the last seen id appeared or went (a transaction that
committed late, a deletion), which one count of the rows up to that id tells.

A query: it writes nothing to the database. The counts are the facilitators' raw ones;
what leaves the facilitators is suppressed by the caller (``suppression.protect_sizes``).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Q

from tracktwo.dialogues.models import Dialogue, Participant, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for

MAX_DIALOGUES = 64


@dataclass
class Tallies:
    """Per party id: active participants, those who voted, and their vote rows."""

    joined: Counter[int] = field(default_factory=Counter)
    voted: Counter[int] = field(default_factory=Counter)
    votes: Counter[int] = field(default_factory=Counter)


@dataclass
class _Kept:
    people_key: tuple[Any, ...] = ()  # (withdrawn, first id) when last counted
    last_participant: int = 0
    last_vote: int = 0
    n_votes: int = 0  # vote rows with id <= last_vote, all counted
    party_of: dict[int, int] = field(default_factory=dict)  # active participant pk -> party id
    votes: Counter[int] = field(default_factory=Counter)  # participant pk -> vote rows
    lock: threading.Lock = field(default_factory=threading.Lock)


_kept: OrderedDict[int, _Kept] = OrderedDict()
_kept_lock = threading.Lock()


def _entry(dialogue_id: int) -> _Kept:
    with _kept_lock:
        found = _kept.get(dialogue_id)
        if found is None:
            found = _kept[dialogue_id] = _Kept()
        _kept.move_to_end(dialogue_id)
        while len(_kept) > MAX_DIALOGUES:
            _kept.popitem(last=False)
        return found


def forget(dialogue_id: int | None = None) -> None:
    """Drop what is kept (of one dialogue, or all): the next call counts from nothing."""
    with _kept_lock:
        if dialogue_id is None:
            _kept.clear()
        else:
            _kept.pop(dialogue_id, None)


def _people(dialogue: Dialogue, kept: _Kept, key: tuple[Any, ...], last: int) -> None:
    """Open the profiles of the active participants who joined after the last seen one."""
    box = box_for(dialogue.initiative_id)
    rows = (
        Participant.objects.filter(
            dialogue=dialogue,
            id__gt=kept.last_participant,
            id__lte=last,
            role=ParticipantRole.PARTICIPANT,
            withdrawn_at__isnull=True,
        )
        .only("pk", "profile_sealed", "dialogue_id")
        .order_by("id")
    )
    for participant in rows:
        kept.party_of[participant.pk] = Profile.from_json(participant.profile.read(box)).party_id
    kept.last_participant = last
    kept.people_key = key


def _votes(dialogue: Dialogue, kept: _Kept, check: bool = True) -> bool:
    """Count the vote rows added since the last seen id; False (counting nothing) when
    ``check`` and rows below it changed."""
    new = (
        Vote.objects.filter(dialogue=dialogue, id__gt=kept.last_vote)
        .values("participant_id")
        .annotate(n=Count("id"), last=Max("id"))
        .values_list("participant_id", "n", "last")
    )
    added, last = Counter[int](), kept.last_vote
    for participant_id, n, newest in new:
        added[participant_id] += n
        last = max(last, newest)
    below = Vote.objects.filter(dialogue=dialogue, id__lte=last).count()
    if check and below != kept.n_votes + sum(added.values()):
        return False
    kept.votes.update(added)
    kept.last_vote, kept.n_votes = last, below
    return True


def party_counts(dialogue: Dialogue) -> Tallies:
    """Participation per party id, as the dashboard shows it (see the module docstring)."""
    people = Participant.objects.filter(dialogue=dialogue).aggregate(
        first=Min("id"),
        last=Max("id"),
        withdrawn=Count("withdrawn_at"),
        active=Count("id", filter=Q(role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True)),
    )
    key, last = (people["withdrawn"], people["first"]), int(people["last"] or 0)
    kept = _entry(dialogue.pk)
    with kept.lock:
        if kept.people_key and (kept.people_key != key or last < kept.last_participant):
            _reset(kept)  # someone withdrew or was erased, or these are other people
        _people(dialogue, kept, key, last)
        if len(kept.party_of) != people["active"]:  # a role changed: count everyone again
            _reset(kept)
            _people(dialogue, kept, key, last)
        if not _votes(dialogue, kept):  # rows below the last seen id changed
            kept.votes.clear()
            kept.last_vote = kept.n_votes = 0
            _votes(dialogue, kept, check=False)
        tallies = Tallies()
        for pk, party in kept.party_of.items():
            n = kept.votes.get(pk, 0)
            tallies.joined[party] += 1
            tallies.voted[party] += n > 0
            tallies.votes[party] += n
        return tallies


def _reset(kept: _Kept) -> None:
    """Forget everything counted (the caller holds ``kept.lock``)."""
    kept.people_key, kept.last_participant, kept.last_vote, kept.n_votes = (), 0, 0, 0
    kept.party_of.clear()
    kept.votes.clear()
