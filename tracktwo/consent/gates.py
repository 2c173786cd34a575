"""The calls other apps make at the point of use: what the dialogue's risk allows.

Kept light (models and policy only) so that any app may import it without a cycle:

- :func:`effective_protections` -- the protections in force (``levels.Protections``);
- :func:`require_assessment` -- a tool with no do-no-harm assessment, one that decided
  to keep it off, or one made at a lower effective level than today's, is refused (409);
- :func:`require_export_allowed`, :func:`require_verbatim_allowed` -- the level's bans.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracktwo.consent.levels import Level, Protections, protections, rank
from tracktwo.consent.models import DialogueRisk, Tool, ToolAssessment
from tracktwo.dialogues.models import Dialogue
from tracktwo.practice.errors import Conflict, InvalidInput


def levels_of(dialogue_id: int) -> tuple[str, str]:
    """The dialogue's (effective, floor) levels as stored (low, low when nothing was said)."""
    row = DialogueRisk.objects.filter(dialogue_id=dialogue_id).values_list("effective", "floor")
    found = row.first()
    return (found[0], found[1]) if found else (Level.LOW, Level.LOW)


def effective_level(dialogue: Dialogue) -> str:
    """The maximum of the members' levels (the level only, never whose)."""
    return levels_of(dialogue.pk)[0]


def effective_protections(dialogue: Dialogue | int) -> Protections:
    """The protections in force for the dialogue (its level, raised by the convener's floor)."""
    dialogue_id = dialogue if isinstance(dialogue, int) else dialogue.pk
    return protections(*levels_of(dialogue_id))


def latest_assessment(dialogue: Dialogue, tool: str) -> ToolAssessment | None:
    return ToolAssessment.objects.filter(dialogue_id=dialogue.pk, tool=tool).order_by("-id").first()


def assessment_problem(dialogue: Dialogue, tool: str) -> str:
    """Why the tool is off for the dialogue, or "" when its assessment allows it."""
    name = Tool(tool).label
    found = latest_assessment(dialogue, tool)
    if found is None:
        return _(
            "no do-no-harm assessment of %(tool)s for this dialogue: a convener must record "
            "the assessment before it can be used"
        ) % {"tool": name}
    if not found.enabled:
        return _("the do-no-harm assessment of %(tool)s decided to keep it off") % {"tool": name}
    if rank(found.level) < rank(effective_protections(dialogue).level):
        return _(
            "the dialogue's risk level rose since the do-no-harm assessment of %(tool)s: "
            "a convener must reassess it"
        ) % {"tool": name}
    return ""


def require_assessment(dialogue: Dialogue, tool: str) -> None:
    """Raise Conflict (409) naming the assessment unless the tool may be used."""
    problem = assessment_problem(dialogue, tool)
    if problem:
        raise Conflict(problem, field="assessment")


def require_export_allowed(dialogue: Dialogue) -> None:
    """Exports are off at high risk and above (and need their assessment)."""
    if not effective_protections(dialogue).exports:
        raise Conflict(
            _("exports are off while the dialogue's risk level is high or severe"),
            field="risk",
        )
    require_assessment(dialogue, Tool.POLIS_EXPORT)


def require_verbatim_allowed(dialogue: Dialogue) -> None:
    """At high risk and above, briefs carry no back-channel exchange word for word."""
    if not effective_protections(dialogue).verbatim_exchanges:
        raise Conflict(
            _(
                "at high risk and above a brief cannot include a carried back-channel "
                "exchange verbatim: summarise it in the brief's own words"
            ),
            field="risk",
        )
    require_assessment(dialogue, Tool.BACKCHANNEL)


def require_threshold_allowed(dialogue: Dialogue, threshold: int) -> None:
    """A small-cell threshold below the level's floor is refused (stricter, never looser)."""
    floor = effective_protections(dialogue).small_cell_floor
    if threshold < floor:
        raise InvalidInput(
            _("at this dialogue's risk level the small-cell threshold cannot be below %(n)d")
            % {"n": floor},
            field="small_cell_threshold",
        )


def retention_cap(initiative_id: int) -> int | None:
    """The shortest retention any of the initiative's dialogues' levels allows (None: any)."""
    caps = [
        protections(effective, floor).retention_cap_days
        for effective, floor in DialogueRisk.objects.filter(
            dialogue__initiative_id=initiative_id, dialogue__purged_at__isnull=True
        ).values_list("effective", "floor")
    ]
    known = [cap for cap in caps if cap is not None]
    return min(known) if known else None


def require_retention_allowed(initiative_id: int, days: int) -> None:
    """A retention period longer than a dialogue's level allows is refused."""
    cap = retention_cap(initiative_id)
    if cap is not None and days > cap:
        raise InvalidInput(
            _("at the risk level of one of its dialogues, data may be kept at most %(n)d days")
            % {"n": cap},
            field="retention_days",
        )
