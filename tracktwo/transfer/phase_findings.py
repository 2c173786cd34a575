"""What a brief says per phase of the agenda ("what emerged in joint thinking"), and the
Track 1.5 standing of its meetings.

The lists come from the insight service's shared cut of one analysis covering every vote
(:func:`tracktwo.insight.service.export_insight`), split by the phase each statement was
written in (:mod:`tracktwo.insight.phases`): no new cell is computed, so small-cell
suppression stays where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.dialogues.queries.meetings import officials_in_private_capacity
from tracktwo.insight import service
from tracktwo.insight.phases import dialogue_phases

MAX_PER_LIST = 5
TRACK_ONE_AND_A_HALF = gettext_noop(
    "Track 1.5: officials took part in a private capacity. Nothing said in the meeting "
    "commits their governments, and nothing in this paper should be read as an official "
    "position."
)


@dataclass(frozen=True)
class PhaseFinding:
    """One phase: its name, a line of counts, and the statements that emerged in it."""

    name: str
    summary: str
    items: tuple[tuple[str, str], ...]  # (list name, statement text)


def standing(dialogue: Dialogue, session: Session | None) -> str:
    """The brief's statement of a Track 1.5 meeting (empty if none was one)."""
    return _(TRACK_ONE_AND_A_HALF) if officials_in_private_capacity(dialogue, session) else ""


def phase_findings(
    dialogue: Dialogue, session: Session | None, scrub: Callable[[str], str]
) -> tuple[PhaseFinding, ...]:
    """Per phase with anything recorded: counts, and the dialogue's lists split by phase."""
    shared = service.export_insight(dialogue, session).shared
    out = []
    for section in dialogue_phases(dialogue, shared, session):
        if not section.statements and not section.votes:
            continue
        items: list[tuple[str, str]] = []
        for label, ids in (
            (_("Common ground across sides"), section.common_ground),
            (_("Consensus"), section.consensus),
            (_("Shared rejection"), section.shared_rejection),
            (_("Divides"), section.divides),
        ):
            for sid in ids[:MAX_PER_LIST]:
                text = shared.text_of(sid)
                if text is not None:
                    items.append((label, scrub(text)))
        written = ngettext(
            "%(n)d statement written", "%(n)d statements written", section.statements
        ) % {"n": section.statements}
        cast = ngettext(
            "%(n)d vote cast in this phase.", "%(n)d votes cast in this phase.", section.votes
        ) % {"n": section.votes}
        summary = _("%(written)s and %(cast)s") % {"written": written, "cast": cast}
        if section.critique_held:
            summary += " " + _("Critique was held in this phase.")
        out.append(PhaseFinding(section.name, summary, tuple(items)))
    return tuple(out)
