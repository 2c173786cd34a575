"""Drawing a dialogue's delegation from its pool, and inviting it in one step.

The draw reads the consenting candidates and the plan's quotas, calls the pure selection
(:func:`tracktwo.analysis.selection.select_panel`), records the seed, algorithm and result
(sealed) and writes an audit row with ids and counts only. The invitations are the
dialogues app's own (:func:`tracktwo.dialogues.actions.invitations.create_invitation`),
one per drawn candidate, their real names recorded as the invitee's sealed identity.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.analysis.selection import MAX_SEED, Quota, SelectionProblem, select_panel
from tracktwo.analysis.selection import Candidate as PoolMember
from tracktwo.dialogues.actions.invitations import create_invitation
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives.actors.actions import require_convener
from tracktwo.initiatives.actors.models import Candidate, DelegationPlan, Draw, Level
from tracktwo.practice.errors import InvalidInput
from tracktwo.safety.audit import Actor as AuditActor
from tracktwo.safety.audit import record
from tracktwo.safety.datakeys import box_for_sealing
from tracktwo.safety.sealed import Box


def pool_members(dialogue: Dialogue, box: Box) -> list[tuple[Candidate, PoolMember]]:
    """The consenting candidates, as the selection reads them (ids: candidate pks)."""
    out = []
    for candidate in Candidate.objects.filter(dialogue=dialogue, consent=True).order_by("id"):
        values = {k.casefold(): v for k, v in candidate.values.read(box).items()}
        values.update(  # deliberate inclusion (R16): quotas may ask for hardliners, spoilers
            hardliner="yes" if candidate.hardliner else "no",
            spoiler="yes" if candidate.spoiler else "no",
            credibility=str(candidate.credibility),
        )
        out.append(
            (candidate, PoolMember(str(candidate.pk), values, candidate.household.read(box)))
        )
    return out


def _quotas(dialogue: Dialogue, box: Box) -> list[Quota]:
    plan = DelegationPlan.objects.filter(dialogue=dialogue).first()
    quotas = [
        Quota(str(q["category"]), str(q["value"]), int(str(q["min"])), int(str(q["max"])))
        for q in (plan.quotas.read(box) if plan else [])
    ]
    if not quotas:
        raise InvalidInput(_("set the quotas first"), field="quotas")
    return quotas


def _audit(made: Draw, pool: int) -> None:
    details = {"draw": made.pk, "seed": made.seed, "algorithm": made.algorithm}
    record(
        "delegation.drawn",
        actor=AuditActor.user(made.drawn_by) if made.drawn_by else AuditActor.system(),
        initiative_id=made.initiative_id,
        target_type="dialogue",
        target_id=made.dialogue_id,
        details={**details, "panel_size": made.panel_size, "pool": pool},
    )


@transaction.atomic
def draw(
    dialogue: Dialogue,
    by: User,
    panel_size: int,
    *,
    seed: int | None = None,
    algorithm: str = "maximin",
    households: bool = True,
) -> Draw:
    """Draw the delegation from the consenting candidates under the plan's quotas; the seed
    (given, or drawn here) is recorded with the result, and the draw audited."""
    require_convener(by, dialogue.initiative)
    box = box_for_sealing(dialogue.initiative_id)
    quotas = _quotas(dialogue, box)
    members = pool_members(dialogue, box)
    chosen_seed = seed if seed is not None else secrets.randbelow(MAX_SEED) + 1
    try:
        result = select_panel(
            [m for _c, m in members],
            quotas,
            panel_size,
            chosen_seed,
            algorithm=algorithm,
            households=households,
        )
    except SelectionProblem as error:
        raise InvalidInput(str(error), field="quotas") from None
    made = Draw(
        initiative_id=dialogue.initiative_id,
        dialogue=dialogue,
        seed=chosen_seed,
        algorithm=algorithm,
        panel_size=panel_size,
        households=households,
        drawn_by=by,
    )
    made.result.write(
        box,
        {
            "selected": [int(k) for k in result.selected],
            "probabilities": result.probabilities,
            "panels": result.panels,
            "pool": len(members),
        },
    )
    made.save()
    Candidate.objects.filter(dialogue=dialogue, invitation__isnull=True).update(selected_in=None)
    Candidate.objects.filter(pk__in=[int(k) for k in result.selected]).update(selected_in=made)
    _audit(made, len(members))
    return made


def _terms(values: dict[str, str]) -> tuple[int | None, bool]:
    track = str(values.get("track", "")).strip()
    if track == "1.5":
        return 1, True
    return (int(track), track == "1") if track in {str(n) for n in range(1, 10)} else (None, False)


@transaction.atomic
def invite_drawn(dialogue: Dialogue, by: User, draw_id: int) -> list[tuple[Candidate, str]]:
    """One invitation per selected candidate not yet invited, in one step; returns each
    candidate with the raw invitation token (show it once)."""
    require_convener(by, dialogue.initiative)
    made = Draw.objects.select_for_update().filter(pk=draw_id, dialogue=dialogue).first()
    if made is None:
        raise InvalidInput(_("no such draw of this dialogue"), field="draw")
    box = box_for_sealing(dialogue.initiative_id)
    out: list[tuple[Candidate, str]] = []
    for candidate in Candidate.objects.filter(selected_in=made, invitation__isnull=True).order_by(
        "id"
    ):
        values = {k.casefold(): v for k, v in candidate.values.read(box).items()}
        track, official = _terms(values)
        name = candidate.name.read(box)
        identity: dict[str, Any] | None = (
            {"real_name": name, "contact": "", "notes": ""} if name else None
        )
        invitation, token = create_invitation(
            dialogue,
            party=candidate.party_id or 0,
            by=by,
            track=track,
            official=official,
            identity=identity,
        )
        level = str(values.get("level", "")).strip().casefold()
        if level in Level.values:  # carried to the participant's profile at joining
            invitation.terms.write(box, {**invitation.terms.read(box), "level": level})
            invitation.save(update_fields=["terms_sealed"])
        candidate.invitation = invitation
        candidate.save(update_fields=["invitation"])
        out.append((candidate, token))
    made.invited_at = timezone.now()
    made.save(update_fields=["invited_at"])
    record(
        "delegation.invited",
        actor=AuditActor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"draw": made.pk, "invitations": len(out)},
    )
    return out
