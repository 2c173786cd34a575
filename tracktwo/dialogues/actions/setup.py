"""Setting up initiatives and dialogues: parties, members, dialogues, ground rules.

Each function is one transaction, checks the caller's permission and writes an audit row
where the change is sensitive (role changes, retention, sharing results). Import them
from :mod:`tracktwo.dialogues.actions`, which gathers every action.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.consent import gates as consent_gates
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.formats import (
    Confidentiality,
    DialogueFormat,
    MemberRole,
    template,
)
from tracktwo.practice.validation import (
    MAX_LONG_TEXT_CHARS,
    MAX_TITLE_CHARS,
    clean_choice,
    clean_int,
    clean_text,
)
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing

# -- initiatives ------------------------------------------------------------------------


# -- members ----------------------------------------------------------------------------


# -- dialogues --------------------------------------------------------------------------


def _clean_rules(rules: Sequence[str]) -> list[str]:
    if not isinstance(rules, list | tuple):
        raise InvalidInput(_("must be a list of rules"), field="ground_rules")
    cleaned = [
        clean_text(rule, f"ground_rules[{i}]", max_chars=1000, multiline=True)
        for i, rule in enumerate(rules)
    ]
    if len(cleaned) > 50:
        raise InvalidInput(_("at most 50 ground rules"), field="ground_rules")
    return cleaned


@transaction.atomic
def create_dialogue(
    initiative: Initiative,
    title: str,
    format: str,
    confidentiality: str,
    by: User,
    *,
    description: str = "",
    moderation_required: bool = True,
    small_cell_threshold: int = 5,
    ground_rules: Sequence[str] | None = None,
) -> Dialogue:
    """A dialogue in one of the formats, its agenda from the format's template.

    ``ground_rules`` None keeps the format's defaults (shown translated); a list replaces
    them. Conveners and initiative-wide facilitators may create dialogues.

    Kept in one piece: every field is checked, in the form's order, before the one insert.
    """
    roles = (
        set(
            Membership.objects.filter(
                user_id=by.pk, initiative=initiative, dialogue__isnull=True
            ).values_list("role", flat=True)
        )
        if by.is_authenticated
        else set()
    )
    permissions.require(
        bool(roles & {MemberRole.CONVENER, MemberRole.FACILITATOR}), _("create dialogues")
    )
    format = clean_choice(format, "format", DialogueFormat.values)
    confidentiality = clean_choice(confidentiality, "confidentiality", Confidentiality.values)
    dialogue = Dialogue(
        initiative=initiative,
        format=format,
        confidentiality=confidentiality,
        phases=template(format).phase_keys(),
        moderation_required=bool(moderation_required),
        small_cell_threshold=clean_int(
            small_cell_threshold, "small_cell_threshold", minimum=2, maximum=100
        ),
    )
    box = box_for_sealing(initiative.pk)
    dialogue.title.write(box, clean_text(title, "title", max_chars=MAX_TITLE_CHARS))
    dialogue.description.write(
        box,
        clean_text(
            description,
            "description",
            max_chars=MAX_LONG_TEXT_CHARS,
            required=False,
            multiline=True,
        ),
    )
    dialogue.ground_rules.write(box, _clean_rules(ground_rules) if ground_rules is not None else [])
    dialogue.save()
    record(
        "dialogue.created",
        actor=Actor.user(by),
        initiative_id=initiative.pk,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"format": format, "confidentiality": confidentiality},
    )
    return dialogue


@transaction.atomic
def update_dialogue(
    dialogue: Dialogue,
    by: User,
    *,
    title: str | None = None,
    description: str | None = None,
    moderation_required: bool | None = None,
    small_cell_threshold: int | None = None,
) -> Dialogue:
    """Change a dialogue's title, description, moderation or small-cell threshold."""
    permissions.require(permissions.can_facilitate(by, dialogue), _("change this dialogue"))
    fields: list[str] = []
    if title is not None or description is not None:
        box = box_for_sealing(dialogue.initiative_id)
        if title is not None:
            dialogue.title.write(box, clean_text(title, "title", max_chars=MAX_TITLE_CHARS))
            fields.append("title_sealed")
        if description is not None:
            dialogue.description.write(
                box,
                clean_text(
                    description,
                    "description",
                    max_chars=MAX_LONG_TEXT_CHARS,
                    required=False,
                    multiline=True,
                ),
            )
            fields.append("description_sealed")
    if moderation_required is not None:
        dialogue.moderation_required = bool(moderation_required)
        fields.append("moderation_required")
    if small_cell_threshold is not None:
        dialogue.small_cell_threshold = clean_int(
            small_cell_threshold, "small_cell_threshold", minimum=2, maximum=100
        )
        consent_gates.require_threshold_allowed(dialogue, dialogue.small_cell_threshold)
        fields.append("small_cell_threshold")
    if fields:
        dialogue.save(update_fields=fields)
    return dialogue


@transaction.atomic
def update_ground_rules(dialogue: Dialogue, rules: Sequence[str] | None, by: User) -> int:
    """Replace the ground rules (None: back to the format's defaults); returns the new version.

    Every participant must accept the new version before they vote or write again.
    """
    permissions.require(permissions.can_facilitate(by, dialogue), _("change the ground rules"))
    box = box_for_sealing(dialogue.initiative_id)
    dialogue.ground_rules.write(box, _clean_rules(rules) if rules is not None else [])
    dialogue.ground_rules_version += 1
    dialogue.save(update_fields=["ground_rules_sealed", "ground_rules_version"])
    return dialogue.ground_rules_version


@transaction.atomic
def share_results(dialogue: Dialogue, shared: bool, by: User) -> None:
    """Show (or hide again) the group's results to the dialogue's participants (audited)."""
    permissions.require(permissions.can_facilitate(by, dialogue), _("share results"))
    if dialogue.results_shared == bool(shared):
        return
    dialogue.results_shared = bool(shared)
    dialogue.save(update_fields=["results_shared"])
    record(
        "results.shared" if shared else "results.hidden",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
    )
