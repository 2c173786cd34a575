"""Every state change of an initiative: its details, sides, members, back-channel and keys.

Each function is one transaction, checks the caller's permission itself and writes an
audit row where the change is sensitive (role changes, retention, wipe, key rotation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.consent import gates as consent_gates  # the risk level caps retention
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import BackChannelMessage, Initiative, Membership, Party
from tracktwo.practice.errors import (
    Conflict,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from tracktwo.practice.formats import (
    MemberRole,
    TransferModel,
)
from tracktwo.practice.validation import (
    MAX_LONG_TEXT_CHARS,
    MAX_NAME_CHARS,
    MAX_TITLE_CHARS,
    clean_choice,
    clean_int,
    clean_names,
    clean_text,
)
from tracktwo.safety import datakeys, retention
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import (
    InitiativeRotation,
    box_for_sealing,
    create_data_key,
)
from tracktwo.safety.retention import Wiped

MAX_RETENTION_DAYS = 36_500


def _seal_initiative_fields(
    initiative: Initiative, box: Any, values: dict[str, Any], fields: list[str]
) -> None:
    for name, value in values.items():
        getattr(initiative, name).write(box, value)
        fields.append(f"{name}_sealed")


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
    """A new initiative with its parties (two or more) and data key; ``by`` becomes convener.

    Kept in one piece: every field is checked before the initiative, its parties, its data
    key and the convener's membership are written together.
    """
    if not by.is_authenticated or not by.is_active:
        raise NotAllowed(_("sign in to create an initiative"))
    if not by.is_convener:
        raise NotAllowed(
            _(
                "only conveners may create an initiative: ask the site's operator to mark "
                "your account as a convener, or a convener to give you a role in theirs"
            )
        )
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
        consent_gates.require_retention_allowed(initiative.pk, initiative.retention_days)
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


@transaction.atomic
def send_back_channel_message(
    initiative: Initiative, from_party: Party, to_party: Party, body: str, by: User
) -> BackChannelMessage:
    """Record a message one party asked the facilitators to carry to another (sealed), as
    carried at once: what a facilitator noted from a conversation (the back-channel app's
    ``tracktwo.backchannel.actions`` runs the full draft-and-carry flow)."""
    roles = (
        set(
            Membership.objects.filter(user_id=by.pk, initiative=initiative).values_list(
                "role", flat=True
            )
        )
        if by.is_authenticated
        else set()
    )
    permissions.require(
        bool(roles & {MemberRole.CONVENER, MemberRole.FACILITATOR}), _("carry messages")
    )
    if from_party.initiative_id != initiative.pk or to_party.initiative_id != initiative.pk:
        raise InvalidInput(_("both parties must belong to this initiative"), field="party")
    if from_party.pk == to_party.pk:
        raise InvalidInput(_("a message goes from one party to another"), field="to_party")
    message = BackChannelMessage(
        initiative=initiative,
        from_party=from_party,
        to_party=to_party,
        carried_by=by,
        carried_at=timezone.now(),
    )
    message.body.write(
        box_for_sealing(initiative.pk),
        clean_text(body, "body", max_chars=MAX_LONG_TEXT_CHARS, multiline=True),
    )
    message.save()
    return message


def _actor(by: User | None) -> Actor:
    return Actor.operator() if by is None else Actor.user(by)


def _initiative(initiative: Initiative | int) -> Initiative:
    if isinstance(initiative, Initiative):
        return initiative
    found = Initiative.objects.filter(pk=initiative).first()
    if found is None:
        raise NotFound(_("initiative %(id)s does not exist") % {"id": initiative})
    return found


def wipe_initiative(
    initiative: Initiative | int, by: User | None, *, rotate_master: bool = True
) -> Wiped:
    """Emergency wipe: destroy the initiative's data key and delete all its rows (audited).

    Conveners of the initiative, or the operator (``by=None``). Then the master key is
    rotated so an old backup's copy of the data key cannot be unwrapped; read
    ``Wiped.warning`` when ``Wiped.master_rotated`` is false.
    """
    target = _initiative(initiative)
    if by is not None:
        permissions.require(permissions.can_convene(by, target), _("wipe this initiative"))
    try:
        return retention.wipe(target.pk, actor=_actor(by), rotate_master=rotate_master)
    except retention.NoSuchInitiative as exc:
        raise NotFound(str(exc)) from None


def rotate_initiative_key(initiative: Initiative | int, by: User | None) -> InitiativeRotation:
    """Re-encrypt an initiative's rows under a new data key (conveners or operator; audited)."""
    target = _initiative(initiative)
    if by is not None:
        permissions.require(permissions.can_convene(by, target), _("rotate this initiative's key"))
    with transaction.atomic():
        rotation = datakeys.rotate_initiative_key(target.pk)
        record(
            "keys.initiative_rotated",
            actor=_actor(by),
            initiative_id=target.pk,
            target_type="initiative",
            target_id=target.pk,
            details={"version": rotation.version, "resealed": rotation.values_resealed},
        )
    return rotation
