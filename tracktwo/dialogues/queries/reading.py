"""Read models for views and the API: decrypted, permission-free building blocks.

These functions decrypt; they do not check who is asking. Views and API routes check
the caller with :mod:`tracktwo.initiatives.permissions` first. None of them returns who
wrote or voted what: statements come without authors, participants without handles
(except a participant's own handle, from :func:`own_handle`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, Notice, Participant, Session, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.dialogues.queries.meetings import dialogue_agenda
from tracktwo.initiatives.models import Initiative, Party
from tracktwo.practice.errors import NotFound
from tracktwo.practice.formats import (
    Moderation,
    NoticeKind,
    ParticipantRole,
    Phase,
    Track,
    regime_language,
    regime_text,
    template,
)
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box


@dataclass(frozen=True)
class DialogueView:
    id: int
    initiative_id: int
    title: str
    description: str
    format: str
    format_name: str
    confidentiality: str
    regime_text: str
    regime_language: str  # "en" when the rule is quoted untranslated
    phases: tuple[Phase, ...]
    moderation_required: bool
    results_shared: bool
    ground_rules: tuple[str, ...]
    ground_rules_version: int
    small_cell_threshold: int


@dataclass(frozen=True)
class StatementView:
    id: int
    text: str
    moderation: str
    is_seed: bool
    is_meta: bool
    redacted: bool
    phase_index: int | None
    created_at: datetime


@dataclass(frozen=True)
class Balance:
    """Delegation balance of a dialogue's active participants (facilitators' eyes only:
    small counts are not suppressed here)."""

    total: int
    by_party: dict[str, int]
    by_track: dict[int, int]
    by_gender: dict[str, int]
    officials: int
    by_region: dict[str, int]


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    body: str
    created_at: datetime
    read: bool


def party_names(initiative: Initiative | int, box: Box | None = None) -> dict[int, str]:
    """Party names by party id, in position order."""
    initiative_id = initiative if isinstance(initiative, int) else initiative.pk
    box = box or box_for(initiative_id)
    parties = Party.objects.filter(initiative_id=initiative_id).order_by("position")
    return {party.pk: party.name.read(box) for party in parties}


def ground_rules(dialogue: Dialogue, box: Box | None = None) -> list[str]:
    """The ground rules participants accept: the facilitator's, or the format's defaults
    in the active language."""
    box = box or box_for(dialogue.initiative_id)
    custom: list[str] = dialogue.ground_rules.read(box)
    if custom:
        from tracktwo.dialogues.queries.translations import ground_rules_in

        return ground_rules_in(dialogue, translation.get_language(), box) or custom
    return [str(rule) for rule in template(dialogue.format).ground_rules]


def dialogue_view(dialogue: Dialogue, box: Box | None = None) -> DialogueView:
    box = box or box_for(dialogue.initiative_id)
    tmpl = template(dialogue.format)
    return DialogueView(
        id=dialogue.pk,
        initiative_id=dialogue.initiative_id,
        title=dialogue.title.read(box),
        description=dialogue.description.read(box),
        format=dialogue.format,
        format_name=tmpl.name,
        confidentiality=dialogue.confidentiality,
        regime_text=regime_text(dialogue.confidentiality),
        regime_language=regime_language(dialogue.confidentiality),
        phases=dialogue_agenda(dialogue, box),
        moderation_required=dialogue.moderation_required,
        results_shared=dialogue.results_shared,
        ground_rules=tuple(ground_rules(dialogue, box)),
        ground_rules_version=dialogue.ground_rules_version,
        small_cell_threshold=dialogue.small_cell_threshold,
    )


def current_session(dialogue: Dialogue) -> Session | None:
    return Session.objects.filter(dialogue=dialogue).order_by("-number").first()


def statements(
    dialogue: Dialogue, *, states: tuple[str, ...] | None = None, box: Box | None = None
) -> list[StatementView]:
    """The dialogue's statements (not deleted), optionally of some moderation states."""
    box = box or box_for(dialogue.initiative_id)
    rows = Statement.objects.filter(dialogue=dialogue, deleted_at__isnull=True).order_by("id")
    if states is not None:
        rows = rows.filter(moderation__in=states)
    return [
        StatementView(
            s.pk,
            s.text.read(box),
            s.moderation,
            s.is_seed,
            s.is_meta,
            s.redacted,
            s.phase_index,
            s.created_at,
        )
        for s in rows
    ]


def unvoted_statement_ids(participant: Participant) -> list[int]:
    """Accepted statements of the participant's dialogue they have not voted on yet."""
    voted = Vote.objects.filter(participant=participant).values("statement_id")
    return list(
        Statement.objects.filter(
            dialogue_id=participant.dialogue_id,
            moderation=Moderation.ACCEPTED,
            deleted_at__isnull=True,
        )
        .exclude(pk__in=voted)
        .order_by("id")
        .values_list("pk", flat=True)
    )


def own_handle(participant: Participant, box: Box | None = None) -> str:
    """A participant's own handle, to show to that participant only."""
    return participant.handle.read(box or box_for(participant.dialogue.initiative_id))


def delegation_balance(dialogue: Dialogue, box: Box | None = None) -> Balance:
    """Counts of active participants per party, track, gender and region, and of officials."""
    box = box or box_for(dialogue.initiative_id)
    names = party_names(dialogue.initiative_id, box)
    by_party: Counter[str] = Counter({name: 0 for name in names.values()})
    by_track: Counter[int] = Counter()
    by_gender: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    officials = 0
    active = Participant.objects.filter(
        dialogue=dialogue, role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True
    ).only("profile_sealed", "dialogue_id")
    total = 0
    for participant in active:
        profile = Profile.from_json(participant.profile.read(box))
        total += 1
        by_party[names.get(profile.party_id, "")] += 1
        if profile.track in Track.values:
            by_track[int(profile.track or 0)] += 1
        by_gender[profile.gender or ""] += 1
        by_region[profile.region or ""] += 1
        officials += int(profile.official)
    return Balance(
        total,
        dict(by_party),
        dict(sorted(by_track.items())),
        dict(by_gender),
        officials,
        dict(by_region),
    )


# Notices written before their sentence was composed at reading time hold the whole
# English sentence; they are shown as they are.
_WHOLE_SENTENCE_PREFIX = "A facilitator "


def notice_text(kind: str, words: str) -> str:
    """A notice in the reader's language, around the words it is about (a redaction's new
    wording), so that a participant reads it in the language they chose, not the
    facilitator's."""
    if words.startswith(_WHOLE_SENTENCE_PREFIX):
        return words
    if kind == NoticeKind.STATEMENT_REDACTED:
        return _(
            "A facilitator edited your statement to remove a detail that could identify you. "
            "It now reads: %(text)s"
        ) % {"text": words}
    if kind == NoticeKind.STATEMENT_REJECTED:
        return _("A facilitator did not accept one of your statements for this dialogue.")
    return words


@transaction.atomic
def notices_for(participant: Participant) -> list[NoticeView]:
    """The participant's private notices, newest first, in the active language. Reading
    changes nothing: :func:`tracktwo.dialogues.actions.mark_notices_read` marks them read."""
    box = box_for(participant.dialogue.initiative_id)
    notices = list(Notice.objects.filter(participant=participant).order_by("-id"))
    return [
        NoticeView(
            n.pk, n.kind, notice_text(n.kind, n.body.read(box)), n.created_at, n.read_at is not None
        )
        for n in notices
    ]


def get_dialogue(dialogue_id: int) -> Dialogue:
    """The dialogue with that id (NotFound otherwise); callers then check permissions."""
    dialogue = Dialogue.objects.select_related("initiative").filter(pk=dialogue_id).first()
    if dialogue is None:
        raise NotFound(_("no such dialogue"))
    return dialogue
