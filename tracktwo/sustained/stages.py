"""Saunders' five stages, the five elements of relationship and the stage-4 questions.

Vocabulary only (no database): the stage names come from the sustained-dialogue template
in :mod:`tracktwo.practice.formats`, whose phases are the stages in order.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tracktwo.practice.formats import DialogueFormat, template

SCENARIO_STAGE = 4
STAGES: tuple[int, ...] = (1, 2, 3, 4, 5)

# Saunders, "A Public Peace Process" (1999): the relationship between groups has five elements.
ELEMENTS: tuple[tuple[str, Promise, Promise], ...] = (
    (
        "identity",
        _("Identity"),
        _("Who each group is: the history and experience that define it."),
    ),
    (
        "interests",
        _("Interests"),
        _("What each group needs, and what it shares with the other."),
    ),
    (
        "power",
        _("Power"),
        _("Who can make things happen, and how: not only force but working together."),
    ),
    (
        "perceptions",
        _("Perceptions"),
        _("How each group sees the other, and misconceptions and stereotypes between them."),
    ),
    (
        "patterns",
        _("Patterns of interaction"),
        _("How the groups deal with each other: the habits, limits and ways of talking."),
    ),
)
ELEMENT_KEYS = tuple(key for key, _name, _help in ELEMENTS)

# Stage 4, scenario building: Saunders' five questions.
QUESTIONS: tuple[tuple[str, Promise], ...] = (
    ("resources", _("What resources do we have to deal with the problem?")),
    ("obstacles", _("What are the obstacles to moving in the direction we want?")),
    ("steps", _("What steps could overcome those obstacles?")),
    ("actors", _("Who could take those steps?")),
    ("sequence", _("In what order, so that each step builds on the last?")),
)
QUESTION_KEYS = tuple(key for key, _text in QUESTIONS)


def stage_name(stage: int) -> str:
    """The stage's name in the reader's language (``"Scenario building"``)."""
    phases = template(DialogueFormat.SUSTAINED_DIALOGUE).phases
    return str(phases[stage - 1].name)


def stage_key(stage: int) -> str:
    return template(DialogueFormat.SUSTAINED_DIALOGUE).phases[stage - 1].key


def stage_purpose(stage: int) -> str:
    return str(template(DialogueFormat.SUSTAINED_DIALOGUE).phases[stage - 1].purpose)
