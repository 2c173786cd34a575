"""The content of a brief: process facts, findings, figures and the facilitator's narrative.

:func:`build_content` gathers everything a brief shows into a :class:`BriefContent`
the renderers turn into Markdown, HTML and PDF. It reads the dialogue's sealed data
and lets out only:

- process facts (format, regime, dates -- withheld for a secret meeting --, number of
  sessions) and participants per party and track as counts, small cells suppressed
  with their complements (:mod:`tracktwo.transfer.cells`);
- the aggregates of :func:`findings_for` (the insight service's analysis of every vote
  cast by then, small cells withheld; :mod:`tracktwo.transfer.findings`);
- figures drawn from those aggregates, with no labels but group letters;
- the narrative the facilitator wrote.

Every text that leaves (statements and narrative) is also scrubbed of the dialogue's
participants' handles and recorded real names, in case someone typed one into a
statement or a note: the brief never names a participant, whatever the regime.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.consent.gates import effective_protections
from tracktwo.dialogues.models import Dialogue, Participant, ParticipantIdentity, Session
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.dialogues.queries import translations
from tracktwo.dialogues.queries.meetings import dialogue_agenda, require_may_leave
from tracktwo.initiatives.models import Party
from tracktwo.insight.delegation import brief_lines
from tracktwo.practice.formats import (
    Confidentiality,
    DialogueFormat,
    ParticipantRole,
    Track,
)
from tracktwo.safety.sealed import Box
from tracktwo.transfer import figures
from tracktwo.transfer.cells import CountTable, suppress
from tracktwo.transfer.findings import Finding, Findings, GroupStatement, GroupView, findings
from tracktwo.transfer.phase_findings import PhaseFinding, phase_findings, standing

NARRATIVE_FIELDS = ("title", "context", "proposals", "next_steps", "method_note")
REDACTED = "[a participant]"
# Private-use characters mark where a recipient's code goes (see marking.py); they are
# removed from every text that enters a brief so nobody can forge or shift a mark.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\u200b-\u200d\u2060\ufeff]")

DEFAULT_METHOD_NOTE = (
    "Participants were invited by the conveners for what they know and whom they can reach; "
    "they are not a random sample of either society and speak for themselves, not for their "
    "governments or communities. Statements were written by participants and facilitators "
    "and voted on individually and anonymously. The figures describe the people in the room, "
    "not public opinion."
)


@dataclass(frozen=True)
class BriefContent:
    """Everything one brief shows, already aggregated, suppressed and scrubbed."""

    title: str
    scope: str
    dated: date
    format_name: str
    agenda: str
    regime: str
    regime_name: str
    dates: str
    n_sessions: int
    participants: CountTable
    n_participants: int
    findings: Findings
    narrative: dict[str, str]
    map_svg: str
    bars_svg: str
    threshold: int
    standing: str = ""  # Track 1.5: officials in a private capacity
    phases: tuple[PhaseFinding, ...] = ()
    delegation: tuple[str, ...] = ()  # the drawn delegation's balance, small counts withheld

    @property
    def total_participants(self) -> str:
        """The grand total as printed (suppressed when small)."""
        return self.participants.cells[-1][-1]


def default_narrative(dialogue: Dialogue, box: Box) -> dict[str, str]:
    return {
        "title": dialogue.title.read(box),
        "context": "",
        "proposals": "",
        "next_steps": "",
        "method_note": DEFAULT_METHOD_NOTE,
    }


class Scrubber:
    """Removes participants' handles and recorded names (whole words, any case)."""

    def __init__(self, names: list[str]) -> None:
        words = sorted({n.strip() for n in names if len(n.strip()) >= 3}, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
            )
            if words
            else None
        )

    def names_in(self, text: str) -> bool:
        """Whether ``text`` contains one of the names."""
        return bool(self._pattern and self._pattern.search(text))

    def __call__(self, text: str) -> str:
        text = _PRIVATE_USE.sub("", text)
        return self._pattern.sub(REDACTED, text) if self._pattern else text


def _scrubber(dialogue: Dialogue, box: Box) -> Scrubber:
    names = [p.handle.read(box) for p in Participant.objects.filter(dialogue=dialogue)]
    for identity in ParticipantIdentity.objects.filter(participant__dialogue=dialogue):
        record = identity.record.read(box)
        names.append(record.get("real_name", ""))
    return Scrubber(names)


def _participant_table(
    dialogue: Dialogue, session: Session | None, box: Box, threshold: int
) -> tuple[CountTable, int]:
    parties = list(Party.objects.filter(initiative_id=dialogue.initiative_id).order_by("position"))
    people = Participant.objects.filter(
        dialogue=dialogue, role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True
    )
    if session is not None:
        people = people.filter(votes__statement__session=session).distinct()
    tally: Counter[tuple[int, int | None]] = Counter()
    for person in people.only("profile_sealed", "dialogue_id"):
        profile = Profile.from_json(person.profile.read(box))
        track = profile.track if profile.track in Track.values else None
        tally[(profile.party_id, track)] += 1
    tracks = sorted({t for _, t in tally if t is not None})
    rows: list[int | None] = [*tracks, *([None] if any(t is None for _, t in tally) else [])]
    if not rows:
        rows = [None]
    labels = [f"{t}: {Track(t).label}" if t is not None else "Not stated" for t in rows]
    counts = [[tally[(party.pk, t)] for party in parties] for t in rows]
    table = suppress(counts, labels, [p.name.read(box) for p in parties], threshold)
    return table, sum(tally.values())


def _session_dates(dialogue: Dialogue, session: Session | None, box: Box) -> tuple[str, int]:
    sessions = list(Session.objects.filter(dialogue=dialogue).order_by("number"))
    if session is not None:
        sessions = [s for s in sessions if s.pk == session.pk]
    if dialogue.confidentiality == Confidentiality.SECRET or any(
        s.confidentiality == Confidentiality.SECRET for s in sessions
    ):
        return "withheld (secret meeting)", len(sessions)
    if effective_protections(dialogue).dates_withheld:
        return "withheld (the participants' risk)", len(sessions)
    days: list[date] = []
    for s in sessions:
        raw = s.starts_at.read(box)
        moment = datetime.fromisoformat(raw) if raw else s.created_at
        days.append(timezone.localdate(moment) if timezone.is_aware(moment) else moment.date())
    if not days:
        return "no session held yet", 0
    first, last = min(days), max(days)
    text = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    return text, len(sessions)


def findings_for(dialogue: Dialogue, session: Session | None, box: Box | None = None) -> Findings:
    """The findings a brief reports, of the dialogue or one session, over every vote cast
    by now (the insight service decrypts the texts itself: ``box`` is not needed)."""
    return findings(dialogue, session)


def _scrub_findings(result: Findings, scrub: Callable[[str], str]) -> Findings:
    def fix(items: tuple[Finding, ...]) -> tuple[Finding, ...]:
        return tuple(replace(item, text=scrub(item.text)) for item in items)

    groups = tuple(
        GroupView(
            g.label,
            g.size,
            tuple(GroupStatement(scrub(s.text), s.direction, s.share) for s in g.statements),
        )
        for g in result.groups
    )
    return replace(
        result,
        common_ground=fix(result.common_ground),
        shared_rejection=fix(result.shared_rejection),
        divides=fix(result.divides),
        groups=groups,
    )


def build_content(
    dialogue: Dialogue,
    session: Session | None,
    narrative: dict[str, str],
    box: Box,
    *,
    dated: date | None = None,
    language: str | None = None,
) -> BriefContent:
    """Everything the brief shows for the dialogue (or one of its sessions).

    With ``language``, statements read in that language where a usable translation exists
    (see :mod:`tracktwo.dialogues.queries.translations`); the caller renders the brief
    with that language active. Where a statement came from is never named.
    Refused (:class:`~tracktwo.practice.errors.NothingLeaves`) for what was off the record.
    """
    require_may_leave(dialogue, session, "brief")
    threshold = max(1, int(dialogue.small_cell_threshold))
    scrub = _scrubber(dialogue, box)
    result = findings_for(dialogue, session, box)
    words = translations.translated_texts(dialogue, language, box) if language else {}
    if words:
        result = _scrub_findings(result, lambda text: words.get(text, text))
    result = _scrub_findings(result, scrub)
    table, n_participants = _participant_table(dialogue, session, box, threshold)
    dates, n_sessions = _session_dates(dialogue, session, box)
    text = {key: scrub(narrative.get(key, "")) for key in NARRATIVE_FIELDS}
    return BriefContent(
        title=text["title"] or _("Brief"),
        scope=_("Dialogue")
        if session is None
        else _("Session %(number)s") % {"number": session.number},
        dated=dated or timezone.localdate(),
        format_name=str(DialogueFormat(dialogue.format).label),
        agenda=phases_text(dialogue),
        regime=dialogue.confidentiality,
        regime_name=str(Confidentiality(dialogue.confidentiality).label),
        dates=dates,
        n_sessions=n_sessions,
        participants=table,
        n_participants=n_participants,
        findings=result,
        narrative=text,
        map_svg=figures.opinion_map(result),
        bars_svg=figures.support_bars(result),
        threshold=threshold,
        standing=standing(dialogue, session),
        phases=phase_findings(dialogue, session, lambda text: scrub(words.get(text, text))),
        delegation=brief_lines(dialogue, threshold),
    )


def phases_text(dialogue: Dialogue) -> str:
    """The dialogue's agenda as it holds it, as a short line (for the process section)."""
    return ", ".join(str(phase.name) for phase in dialogue_agenda(dialogue))
