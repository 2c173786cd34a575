"""The outcome-harvesting register of an initiative: recording and reading its entries.

Outcome harvesting (Wilson-Grau; practice notes R42, [S21]) collects observed changes in
social actors after the fact, with the initiative's contribution, their significance, the
source and a substantiator who can verify them. Entries are texts about people outside
the room, so they are sealed like every other text and readable by the initiative's
conveners and initiative-wide facilitators only. Recording one is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Statement
from tracktwo.evaluation.models import Outcome
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.formats import MemberRole
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing
from tracktwo.transfer.models import Brief

FIELDS = ("social_actor", "change", "contribution", "significance", "source", "substantiator")
REQUIRED = ("social_actor", "change", "contribution")
MAX_CHARS = 4000


def can_keep_register(user: User | None, initiative: Initiative) -> bool:
    """Conveners and initiative-wide facilitators."""
    role = permissions.role_in(user, initiative)
    return role in (MemberRole.CONVENER, MemberRole.FACILITATOR)


def _linked(initiative: Initiative, statements: Iterable[int], brief: int | None) -> list[int]:
    ids = sorted(set(statements))
    found = Statement.objects.filter(pk__in=ids, dialogue__initiative=initiative).count()
    if found != len(ids):
        raise InvalidInput(_("not a statement of this initiative"), field="statements")
    if (
        brief is not None
        and not Brief.objects.filter(pk=brief, dialogue__initiative=initiative).exists()
    ):
        raise InvalidInput(_("not a brief of this initiative"), field="brief")
    return ids


@transaction.atomic
def record_outcome(
    user: User,
    initiative: Initiative,
    *,
    happened_on: dt.date,
    statements: Iterable[int] = (),
    brief: int | None = None,
    **texts: str,
) -> Outcome:
    """Add an entry: who changed, what, the initiative's contribution, and how it is known."""
    permissions.require(can_keep_register(user, initiative), _("keep the outcome register"))
    unknown = set(texts) - set(FIELDS)
    if unknown:
        raise InvalidInput(_("unknown field"), field=sorted(unknown)[0])
    cleaned = {
        name: clean_text(
            texts.get(name, ""),
            name,
            max_chars=MAX_CHARS,
            required=name in REQUIRED,
            multiline=True,
        )
        for name in FIELDS
    }
    ids = _linked(initiative, statements, brief)
    outcome = Outcome(
        initiative=initiative,
        happened_on=happened_on,
        statements=ids,
        brief_id=brief,
        recorded_by=user,
    )
    outcome.record.write(box_for_sealing(initiative.pk), cleaned)
    outcome.save()
    record(
        "evaluation.outcome_recorded",
        actor=Actor.user(user),
        initiative_id=initiative.pk,
        target_type="outcome",
        target_id=outcome.pk,
        details={"statements": len(ids), "brief": brief is not None},
    )
    return outcome


def outcome_out(outcome: Outcome, texts: dict[str, str]) -> dict[str, Any]:
    return {
        "id": outcome.pk,
        "happened_on": outcome.happened_on.isoformat(),
        **{name: texts.get(name, "") for name in FIELDS},
        "statements": list(outcome.statements),
        "brief": outcome.brief_id,
    }


def register(user: User, initiative: Initiative) -> list[dict[str, Any]]:
    """The register, oldest change first (for those who keep it)."""
    permissions.require(can_keep_register(user, initiative), _("read the outcome register"))
    box = box_for(initiative.pk)
    return [
        outcome_out(o, o.record.read(box)) for o in Outcome.objects.filter(initiative=initiative)
    ]
