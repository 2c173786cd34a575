"""Setting up initiatives and dialogues: parties, members, dialogues, ground rules.

Each function is one transaction, checks the caller's permission and writes an audit row
where the change is sensitive (role changes, retention, sharing results). Import them
from :mod:`tracktwo.dialogues.actions`, which gathers every action.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues import permissions
from tracktwo.dialogues.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tracktwo.dialogues.formats import (
    Confidentiality,
    DialogueFormat,
    MemberRole,
    TransferModel,
    template,
)
from tracktwo.dialogues.models import Dialogue, Initiative, Membership, Party
from tracktwo.dialogues.validation import (
    MAX_LONG_TEXT_CHARS,
    MAX_NAME_CHARS,
    MAX_TITLE_CHARS,
    clean_choice,
    clean_int,
    clean_names,
    clean_text,
)
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing, create_data_key

MAX_RETENTION_DAYS = 36_500


def _seal_initiative_fields(
    initiative: Initiative, box: Any, values: dict[str, Any], fields: list[str]
) -> None:
    for name, value in values.items():
        getattr(initiative, name).write(box, value)
        fields.append(f"{name}_sealed")


# -- initiatives ------------------------------------------------------------------------


@transaction.atomic
def create_initiative(
    by: User,
    title: str,
    parties: Sequence[str],
    *,
    description: str = "",
    convening_organisation: str = "",
    sponsors: Sequence[str] = (),
    retention_days: int = 365,
    transfer_model: str = "",
) -> Initiative:
    """A new initiative with its parties (two or more) and data key; ``by`` becomes convener."""
    if not by.is_authenticated or not by.is_active:
        raise NotAllowed(_("sign in to create an initiative"))
    values = {
        "title": clean_text(title, "title", max_chars=MAX_TITLE_CHARS),
        "description": clean_text(
            description,
            "description",
            max_chars=MAX_LONG_TEXT_CHARS,
            required=False,
            multiline=True,
        ),
        "convening_organisation": clean_text(
            convening_organisation,
            "convening_organisation",
            max_chars=MAX_NAME_CHARS,
            required=False,
        ),
        "sponsors": clean_names(sponsors, "sponsors", minimum=0, max_chars=MAX_NAME_CHARS),
    }
    names = clean_names(parties, "parties", minimum=2, max_chars=MAX_NAME_CHARS)
    initiative = Initiative.objects.create(
        retention_days=clean_int(
            retention_days, "retention_days", minimum=1, maximum=MAX_RETENTION_DAYS
        ),
        transfer_model=_transfer_model(transfer_model),
        created_by=by,
    )
    box = create_data_key(initiative.pk)
    fields: list[str] = []
    _seal_initiative_fields(initiative, box, values, fields)
    initiative.save(update_fields=fields)
    for position, name in enumerate(names, start=1):
        party = Party(initiative=initiative, position=position)
        party.name.write(box, name)
        party.save()
    Membership.objects.create(user=by, initiative=initiative, role=MemberRole.CONVENER)
    record(
        "initiative.created",
        actor=Actor.user(by),
        initiative_id=initiative.pk,
        target_type="initiative",
        target_id=initiative.pk,
        details={"parties": len(names)},
    )
    record(
        "member.role_changed",
        actor=Actor.user(by),
        initiative_id=initiative.pk,
        target_type="user",
        target_id=by.pk,
        details={"role_from": None, "role_to": MemberRole.CONVENER, "dialogue": None},
    )
    return initiative


def _transfer_model(value: str) -> str:
    if value == "":
        return ""
    return clean_choice(value, "transfer_model", TransferModel.values)


@transaction.atomic
def update_initiative(
    initiative: Initiative,
    by: User,
    *,
    title: str | None = None,
    description: str | None = None,
    convening_organisation: str | None = None,
    sponsors: Sequence[str] | None = None,
    retention_days: int | None = None,
    transfer_model: str | None = None,
) -> Initiative:
    """Change an initiative's details (conveners only); arguments left None stay as they are."""
    permissions.require(permissions.can_convene(by, initiative), _("change this initiative"))
    values: dict[str, Any] = {}
    if title is not None:
        values["title"] = clean_text(title, "title", max_chars=MAX_TITLE_CHARS)
    if description is not None:
        values["description"] = clean_text(
            description,
            "description",
            max_chars=MAX_LONG_TEXT_CHARS,
            required=False,
            multiline=True,
        )
    if convening_organisation is not None:
        values["convening_organisation"] = clean_text(
            convening_organisation,
            "convening_organisation",
            max_chars=MAX_NAME_CHARS,
            required=False,
        )
    if sponsors is not None:
        values["sponsors"] = clean_names(
            list(sponsors), "sponsors", minimum=0, max_chars=MAX_NAME_CHARS
        )
    fields: list[str] = []
    if values:
        _seal_initiative_fields(initiative, box_for_sealing(initiative.pk), values, fields)
    if retention_days is not None:
        initiative.retention_days = clean_int(
            retention_days, "retention_days", minimum=1, maximum=MAX_RETENTION_DAYS
        )
        fields.append("retention_days")
    if transfer_model is not None:
        initiative.transfer_model = _transfer_model(transfer_model)
        fields.append("transfer_model")
    if fields:
        initiative.save(update_fields=fields)
    if retention_days is not None:
        record(
            "initiative.retention_changed",
            actor=Actor.user(by),
            initiative_id=initiative.pk,
            target_type="initiative",
            target_id=initiative.pk,
            details={"retention_days": initiative.retention_days},
        )
    return initiative


@transaction.atomic
def add_party(initiative: Initiative, name: str, by: User) -> Party:
    """Add a side to the initiative (conveners only)."""
    permissions.require(permissions.can_convene(by, initiative), _("add parties"))
    box = box_for_sealing(initiative.pk)
    clean = clean_text(name, "name", max_chars=MAX_NAME_CHARS)
    existing = [party.name.read(box).casefold() for party in initiative.parties.all()]
    if clean.casefold() in existing:
        raise InvalidInput(_("the initiative already has a party of that name"), field="name")
    party = Party(initiative=initiative, position=len(existing) + 1)
    party.name.write(box, clean)
    party.save()
    return party


# -- members ----------------------------------------------------------------------------


@transaction.atomic
def add_member(
    initiative: Initiative, user: User, role: str, by: User, *, dialogue: Dialogue | None = None
) -> Membership:
    """Give ``user`` a role in the initiative, or in one dialogue (conveners only; audited).

    One role per (user, initiative, dialogue-or-none): an existing one is changed.
    """
    permissions.require(permissions.can_convene(by, initiative), _("change members"))
    role = clean_choice(role, "role", MemberRole.values)
    if dialogue is not None and dialogue.initiative_id != initiative.pk:
        raise InvalidInput(_("the dialogue belongs to another initiative"), field="dialogue")
    if role in (MemberRole.CONVENER, MemberRole.LIAISON) and dialogue is not None:
        raise InvalidInput(
            _("a %(role)s is initiative-wide: give no dialogue") % {"role": role}, field="dialogue"
        )
    if not user.is_active:
        raise InvalidInput(_("that account is deactivated"), field="user")
    membership = Membership.objects.filter(
        user=user, initiative=initiative, dialogue=dialogue
    ).first()
    previous = membership.role if membership else None
    if membership is None:
        membership = Membership.objects.create(
            user=user, initiative=initiative, dialogue=dialogue, role=role
        )
    elif previous != role:
        if previous == MemberRole.CONVENER:
            _keep_one_convener(initiative, user)
        membership.role = role
        membership.save(update_fields=["role"])
    if previous != role:
        record(
            "member.role_changed",
            actor=Actor.user(by),
            initiative_id=initiative.pk,
            target_type="user",
            target_id=user.pk,
            details={
                "role_from": previous,
                "role_to": role,
                "dialogue": dialogue.pk if dialogue else None,
            },
        )
    return membership


def _keep_one_convener(initiative: Initiative, leaving: User) -> None:
    others = Membership.objects.filter(
        initiative=initiative, role=MemberRole.CONVENER, dialogue__isnull=True
    ).exclude(user=leaving)
    if not others.exists():
        raise Conflict(_("an initiative needs at least one convener: add another first"))


@transaction.atomic
def remove_member(
    initiative: Initiative, user: User, by: User, *, dialogue: Dialogue | None = None
) -> None:
    """Take away ``user``'s role in the initiative or one dialogue (conveners only; audited)."""
    permissions.require(permissions.can_convene(by, initiative), _("change members"))
    membership = Membership.objects.filter(
        user=user, initiative=initiative, dialogue=dialogue
    ).first()
    if membership is None:
        raise NotFound(_("that person has no role there"))
    if membership.role == MemberRole.CONVENER:
        _keep_one_convener(initiative, user)
    membership.delete()
    record(
        "member.role_changed",
        actor=Actor.user(by),
        initiative_id=initiative.pk,
        target_type="user",
        target_id=user.pk,
        details={
            "role_from": membership.role,
            "role_to": None,
            "dialogue": dialogue.pk if dialogue else None,
        },
    )


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


def get_dialogue(dialogue_id: int) -> Dialogue:
    """The dialogue with that id (NotFound otherwise); callers then check permissions."""
    dialogue = Dialogue.objects.select_related("initiative").filter(pk=dialogue_id).first()
    if dialogue is None:
        raise NotFound(_("no such dialogue"))
    return dialogue
