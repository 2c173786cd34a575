"""The analysis per phase of the agenda: what emerged in each phase ("joint thinking").

One analysis of the whole dialogue (the typed, suppressed cut a reader may see) is split
by the phase each statement was written in (``Statement.phase_index``) and each vote was
cast in (``Vote.phase_index``): :func:`phase_sections` is the pure split,
:func:`dialogue_phases` reads the database and the insight service. The engine is not
run per phase: the lists are the dialogue's own (cross-side common ground, shared
rejection, divides, consensus), so nothing here is computed on a smaller, more
identifying cell than the dialogue's analysis.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tracktwo.dialogues.models import Dialogue, Session, Statement, Vote
from tracktwo.dialogues.queries.meetings import dialogue_agenda
from tracktwo.insight.results import DialogueInsight
from tracktwo.practice.formats import Moderation, Phase


@dataclass(frozen=True)
class PhaseSection:
    """What emerged in one phase of the agenda.

    ``statements`` accepted statements written in the phase; ``votes`` votes cast in it;
    the tuples hold statement ids (of statements written in the phase) from the
    dialogue's lists: cross-side common ground, shared rejection, divides, and consensus.
    """

    index: int
    key: str
    name: str
    critique_held: bool
    statements: int
    votes: int
    common_ground: tuple[int, ...] = ()
    shared_rejection: tuple[int, ...] = ()
    divides: tuple[int, ...] = ()
    consensus: tuple[int, ...] = ()


def phase_sections(
    insight: DialogueInsight,
    phases: Sequence[Phase],
    statement_phase: Mapping[int, int | None],
    votes_per_phase: Mapping[int, int],
) -> tuple[PhaseSection, ...]:
    """Split one analysis by phase (pure): ``statement_phase`` maps an accepted statement's
    id to the phase it was written in, ``votes_per_phase`` counts votes by phase."""
    cross = insight.cross_side
    lists = {
        "common_ground": cross.common_ground if cross and cross.available else (),
        "shared_rejection": cross.shared_rejection if cross and cross.available else (),
        "divides": cross.divides if cross and cross.available else (),
        "consensus": tuple(c.statement for c in insight.consensus_agree),
    }
    written = Counter(p for p in statement_phase.values() if p is not None)
    out = []
    for i, phase in enumerate(phases):
        picked = {
            name: tuple(sid for sid in ids if statement_phase.get(sid) == i)
            for name, ids in lists.items()
        }
        out.append(
            PhaseSection(
                index=i,
                key=phase.key,
                name=str(phase.name),
                critique_held=phase.criticism_held_back,
                statements=written[i],
                votes=int(votes_per_phase.get(i, 0)),
                **picked,
            )
        )
    return tuple(out)


def dialogue_phases(
    dialogue: Dialogue, insight: DialogueInsight, session: Session | None = None
) -> tuple[PhaseSection, ...]:
    """The per-phase sections of ``insight`` (an analysis of ``dialogue``, or of one
    ``session``, for some reader)."""
    statements = Statement.objects.filter(
        dialogue=dialogue, moderation=Moderation.ACCEPTED, deleted_at__isnull=True
    )
    votes_cast = Vote.objects.filter(dialogue=dialogue, phase_index__isnull=False)
    if session is not None:
        statements = statements.filter(session=session)
        votes_cast = votes_cast.filter(statement__session=session)
    statement_phase = dict(statements.values_list("id", "phase_index"))
    votes: Counter[int] = Counter(
        int(p) for p in votes_cast.values_list("phase_index", flat=True) if p is not None
    )
    return phase_sections(insight, dialogue_agenda(dialogue), statement_phase, votes)


def phases_json(
    insight: DialogueInsight, sections: Sequence[PhaseSection]
) -> list[dict[str, object]]:
    """The sections as the API gives them, with the texts the reader's cut may show."""

    def texts(ids: tuple[int, ...]) -> list[dict[str, object]]:
        return [
            {"statement": sid, "text": text}
            for sid in ids
            if (text := insight.text_of(sid)) is not None
        ]

    return [
        {
            "index": s.index,
            "key": s.key,
            "name": s.name,
            "critique_held": s.critique_held,
            "statements": s.statements,
            "votes": s.votes,
            "common_ground": texts(s.common_ground),
            "shared_rejection": texts(s.shared_rejection),
            "divides": texts(s.divides),
            "consensus": texts(s.consensus),
        }
        for s in sections
    ]
