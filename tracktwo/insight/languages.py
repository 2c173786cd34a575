"""A dialogue's analysis by language: participation and agreement per reading language,
and the statements whose support differs sharply between language versions.

The counting is pure (:mod:`tracktwo.analysis.languages`); here the votes come from the
database and each participant's reading language from their sealed profile (the first
language they said they take part in; else the dialogue's first language). The
facilitators' cut is unsuppressed; everyone else's goes through
:mod:`tracktwo.insight.suppression` (small cells withheld). A statement's original
language is named only when the caller asks for it (``with_origin``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tracktwo.analysis.languages import DEFAULT_GAP, DEFAULT_MIN_VOTERS, ByLanguage, by_language
from tracktwo.dialogues.models import Dialogue, Participant, Vote
from tracktwo.dialogues.queries import translations
from tracktwo.insight.suppression import protect_sizes, protect_tallies
from tracktwo.safety.datakeys import box_for


def dialogue_by_language(
    dialogue: Dialogue, *, gap: float = DEFAULT_GAP, min_voters: int | None = None
) -> ByLanguage:
    """The pure result for ``dialogue`` (``min_voters``: the small-cell threshold by default)."""
    box = box_for(dialogue.initiative_id)
    first = translations.first_language_of(dialogue)
    readers = {
        participant.pk: translations.reader_language(participant, box) or first
        for participant in Participant.objects.filter(dialogue=dialogue)
    }
    rows = list(
        Vote.objects.filter(dialogue=dialogue)
        .order_by("id")
        .values_list("participant_id", "statement_id", "value")
    )
    array = np.array(rows, dtype=np.int64).reshape(-1, 3)
    floor = max(1, int(dialogue.small_cell_threshold)) if min_voters is None else min_voters
    return by_language(array[:, 0], array[:, 1], array[:, 2], readers, gap=gap, min_voters=floor)


def as_json(
    dialogue: Dialogue, result: ByLanguage, *, facilitator: bool, with_origin: bool = False
) -> dict[str, Any]:
    """The result for a reader: unsuppressed for facilitators, small cells withheld else."""
    threshold = None if facilitator else max(1, int(dialogue.small_cell_threshold))
    sizes, total = protect_sizes(
        {p.language: p.participants for p in result.participation},
        sum(p.participants for p in result.participation),
        threshold,
    )
    origins = translations.originals(dialogue) if with_origin else {}
    statements = []
    for row in result.statements:
        tallies = protect_tallies(
            {t.language: (t.agree, t.disagree, t.passes) for t in row.tallies},
            [
                sum(t.agree for t in row.tallies),
                sum(t.disagree for t in row.tallies),
                sum(t.passes for t in row.tallies),
            ],
            threshold,
        )
        item: dict[str, Any] = {
            "id": row.statement,
            "by_language": tallies,
            "gap": None if row.gap is None else round(row.gap, 4),
            "flagged": row.flagged,
        }
        if with_origin:
            item["original_language"] = origins.get(row.statement)
        statements.append(item)
    return {
        "languages": list(result.languages),
        "participants": {"by_language": sizes, "total": total},
        "gap_threshold": result.gap_threshold,
        "min_voters": result.min_voters,
        "flagged": list(result.flagged),
        "statements": statements,
        "suppressed": threshold is not None,
    }


__all__ = ["DEFAULT_MIN_VOTERS", "as_json", "dialogue_by_language"]
