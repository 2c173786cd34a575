"""Pol.is interoperability: import a Pol.is export as a dialogue, export a dialogue as one.

**Export** (conveners; every export is audited as ``dialogue.exported``) writes the
2021-style Pol.is CSV files:

- ``comments.csv``: ``timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,
  comment-body``. Comment ids are 0, 1, 2... in the order statements were written.
  ``author-id`` is always empty: an author id would link a statement, whose wording may
  identify its author, to that author's votes. Only accepted statements carry their text;
  pending ones (not yet checked for identifying details) and rejected ones are listed with
  moderation 0 / -1 and no text. Statements their authors deleted are left out, votes and all.
- ``votes.csv``: ``timestamp,datetime,comment-id,voter-id,vote``, every vote as cast (re-votes
  included, agree = 1), times rounded down to the minute so that a vote cannot be matched to
  a moment someone was seen tapping a phone.
- ``participants-votes.csv``: one row per voter, ``participant,group-id,n-comments,n-votes,
  n-agree,n-disagree`` and one column per comment; ``n-comments`` is left empty (authorship)
  and ``group-id`` is the live analysis's opinion group.

Voter ids are a fresh random numbering for every export: two exports cannot be joined on
them, and they are unrelated to anything stored.

**Import** creates a dialogue from any export :func:`tracktwo.analysis.polis_io.read_polis`
reads: statements with their text and moderation; voters as participants without an
account or token, under neutral generated handles (``participant 0001``); every vote with
its time. Declared sides can come from a ``participant,party`` CSV (the party file of
``tracktwo analyze``); participants it does not list belong to no side.
"""

from __future__ import annotations

import csv
import io
import random
import secrets
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.analysis.parties import read_parties
from tracktwo.analysis.votes import VoteEvents
from tracktwo.consent.gates import require_export_allowed
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile, handle_digest
from tracktwo.dialogues.queries.meetings import require_may_leave
from tracktwo.dialogues.queries.reading import party_names
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.formats import Moderation, ParticipantRole
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing

FILES = ("comments.csv", "votes.csv", "participants-votes.csv")
MODERATION_FROM_POLIS = {1: Moderation.ACCEPTED, 0: Moderation.PENDING, -1: Moderation.REJECTED}
MODERATION_TO_POLIS: dict[str, int] = {
    Moderation.ACCEPTED: 1,
    Moderation.PENDING: 0,
    Moderation.REJECTED: -1,
}
BATCH = 5000


# -- export -----------------------------------------------------------------------------


def _stamp(moment: datetime) -> tuple[int, str]:
    minute = moment.astimezone(UTC).replace(second=0, microsecond=0)
    return int(minute.timestamp()) * 1000, minute.strftime("%a %b %d %H:%M:%S UTC %Y")


def _csv(rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def export_polis(dialogue: Dialogue, *, actor: Actor) -> dict[str, str]:
    """The dialogue's Pol.is CSV files, ``{file name: text}``; audited under ``actor``.

    The caller checks that the requester may export (conveners only).

    Kept in one piece: the files come from one consistent read under one map of fresh
    random participant ids, which must not leave this function.
    """
    from tracktwo.insight import service as live

    require_may_leave(dialogue, None, _("export"))  # off the record: nothing leaves
    box = box_for(dialogue.initiative_id)
    statements = list(
        Statement.objects.filter(dialogue=dialogue, deleted_at__isnull=True).order_by("id")
    )
    tid = {s.pk: i for i, s in enumerate(statements)}
    votes = list(
        Vote.objects.filter(dialogue=dialogue, statement_id__in=tid)
        .order_by("id")
        .values_list("participant__public_id", "statement_id", "value", "created_at")
    )
    voters = list(dict.fromkeys(v[0] for v in votes))
    numbers = list(range(len(voters)))
    random.SystemRandom().shuffle(numbers)
    voter_id = dict(zip(voters, numbers, strict=True))
    latest: dict[tuple[str, int], int] = {}
    for public_id, statement_id, value, _at in votes:
        latest[(public_id, statement_id)] = value
    agrees = np.zeros(len(statements), np.int64)
    disagrees = np.zeros(len(statements), np.int64)
    for (_pid, statement_id), value in latest.items():
        if value == 1:
            agrees[tid[statement_id]] += 1
        elif value == -1:
            disagrees[tid[statement_id]] += 1
    comments: list[list[Any]] = [["timestamp", "datetime", "comment-id", "author-id", "agrees", "disagrees",
                 "moderated", "comment-body"]]  # fmt: skip
    for s in statements:
        stamp, when = _stamp(s.created_at)
        accepted = s.moderation == Moderation.ACCEPTED
        comments.append(
            [stamp, when, tid[s.pk], "", int(agrees[tid[s.pk]]), int(disagrees[tid[s.pk]]),
             MODERATION_TO_POLIS[s.moderation], s.text.read(box) if accepted else ""]
        )  # fmt: skip
    vote_rows: list[list[Any]] = [["timestamp", "datetime", "comment-id", "voter-id", "vote"]]
    for public_id, statement_id, value, at in votes:
        stamp, when = _stamp(at)
        vote_rows.append([stamp, when, tid[statement_id], voter_id[public_id], value])
    groups = live.opinion_groups(dialogue) if votes else {}
    wide: list[list[Any]] = [
        ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"]
        + [str(i) for i in range(len(statements))]
    ]
    cells: dict[str, dict[int, int]] = {}
    for (public_id, statement_id), value in latest.items():
        cells.setdefault(public_id, {})[tid[statement_id]] = value
    for public_id in sorted(voters, key=voter_id.__getitem__):
        mine = cells.get(public_id, {})
        values = list(mine.values())
        group = groups.get(public_id)
        wide.append(
            [voter_id[public_id], "" if group is None else group, "", len(values),
             values.count(1), values.count(-1)]
            + [mine.get(i, "") for i in range(len(statements))]
        )  # fmt: skip
    record(
        "dialogue.exported",
        actor=actor,
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"format": "polis", "participants": len(voters), "votes": len(votes)},
    )
    return {
        "comments.csv": _csv(comments),
        "votes.csv": _csv(vote_rows),
        "participants-votes.csv": _csv(wide),
    }


def export_zip(dialogue: Dialogue, *, by: User) -> bytes:
    """The export as a zip file (for the API); audited as the convener's action. Refused
    (409) at high risk and above, and without a do-no-harm assessment of the export."""
    require_export_allowed(dialogue)
    files = export_polis(dialogue, actor=Actor.user(by))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def write_export(dialogue: Dialogue, directory: Path, *, actor: Actor) -> list[Path]:
    """Write the export's files into ``directory`` (created if need be)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in export_polis(dialogue, actor=actor).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


# -- import -----------------------------------------------------------------------------


def _party_of(events: VoteEvents, parties_file: Path | None) -> tuple[list[str], list[int]]:
    """Side names, and per participant the index of their side (-1: none)."""
    if parties_file is None:
        return [], [-1] * events.n_participants
    parties = read_parties(parties_file, events.participant_ids, min_party_size=1)
    return list(parties.names), [int(m) for m in parties.member]


@transaction.atomic
def import_polis(
    events: VoteEvents,
    *,
    title: str,
    by: User,
    format: str = "citizen-exchange",
    confidentiality: str = "chatham-house",
    parties: Sequence[str] = (),
    parties_file: Path | None = None,
    initiative: Initiative | None = None,
) -> Dialogue:
    """A new dialogue holding these Pol.is votes (from ``read_polis``), in one transaction.

    Without ``initiative`` a new one is made (``by`` becomes its convener) with the sides of
    ``parties_file``, or ``parties`` (default "Side A", "Side B"). Audited.
    """
    names, member = _party_of(events, parties_file)
    if initiative is None:
        sides = names or list(parties) or ["Side A", "Side B"]
        initiative = initiative_actions.create_initiative(by, title, sides)
    dialogue = actions.create_dialogue(
        initiative, title, format, confidentiality, by, moderation_required=True
    )
    box = box_for_sealing(initiative.pk)
    party_ids = {name.casefold(): pk for pk, name in party_names(initiative, box).items()}
    missing = [name for name in names if name.casefold() not in party_ids]
    if missing:
        raise InvalidInput(
            f"the initiative has no party named {missing[0]!r}", field="parties_file"
        )
    statement_pk = _import_statements(dialogue, events, box)
    participant_pk = _import_participants(dialogue, events, box, names, member, party_ids)
    _import_votes(dialogue, events, statement_pk, participant_pk)
    record(
        "dialogue.imported",
        actor=Actor.user(by),
        initiative_id=initiative.pk,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={
            "format": "polis",
            "statements": len(statement_pk),
            "participants": len(participant_pk),
            "votes": len(events),
        },
    )
    return dialogue


def _import_statements(dialogue: Dialogue, events: VoteEvents, box: Any) -> list[int]:
    statements = events.statements
    now = timezone.now()
    rows = []
    for i, sid in enumerate(statements.ids):
        moderation = MODERATION_FROM_POLIS[int(statements.moderated[i])]
        text = (statements.texts[i] or "").strip() or f"(Pol.is statement {sid}: no text)"
        statement = Statement(
            dialogue=dialogue,
            is_meta=bool(statements.is_meta[i]),
            moderation=moderation,
            moderated_at=now if moderation != Moderation.PENDING else None,
        )
        statement.text.write(box, text[:1000])
        rows.append(statement)
    created = Statement.objects.bulk_create(rows, batch_size=500)
    if any(s.pk is None for s in created):  # backends that do not return ids
        created = list(Statement.objects.filter(dialogue=dialogue).order_by("id"))
    return [int(s.pk) for s in created]


def _import_participants(
    dialogue: Dialogue,
    events: VoteEvents,
    box: Any,
    names: list[str],
    member: list[int],
    party_ids: dict[str, int],
) -> list[int]:
    width = max(4, len(str(events.n_participants)))
    rows = []
    for i in range(events.n_participants):
        handle = f"participant {i + 1:0{width}d}"
        side = member[i]
        party_id = party_ids[names[side].casefold()] if side >= 0 else 0
        participant = Participant(
            dialogue=dialogue,
            public_id="p" + secrets.token_hex(10),  # as joining gives: random
            handle_digest=handle_digest(box, dialogue.pk, handle),
            role=ParticipantRole.PARTICIPANT,
            token_digest=None,
            ground_rules_version_accepted=dialogue.ground_rules_version,
        )
        participant.handle.write(box, handle)
        participant.profile.write(box, Profile(party_id=party_id).to_json())
        rows.append(participant)
    created = Participant.objects.bulk_create(rows, batch_size=500)
    if any(p.pk is None for p in created):
        by_public = dict(
            Participant.objects.filter(dialogue=dialogue).values_list("public_id", "pk")
        )
        return [int(by_public[p.public_id]) for p in rows]
    return [int(p.pk) for p in created]


def _import_votes(
    dialogue: Dialogue, events: VoteEvents, statement_pk: list[int], participant_pk: list[int]
) -> None:
    """Insert every vote with its own time (``auto_now_add`` would overwrite it)."""
    table = Vote._meta.db_table
    columns = ", ".join(
        connection.ops.quote_name(name)
        for name in ("dialogue_id", "statement_id", "participant_id", "value", "created_at")
    )
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608 - names from the model
    now = timezone.now().timestamp()
    times = np.where(np.isnan(events.timestamp), now, events.timestamp)
    rows = [
        (
            dialogue.pk,
            statement_pk[int(s)],
            participant_pk[int(p)],
            int(v),
            datetime.fromtimestamp(float(t), UTC),
        )
        for p, s, v, t in zip(events.participant, events.statement, events.vote, times, strict=True)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
