"""Read models of risk and consent (decrypted, never writing): the consent terms in plain
language, a participant's own risk profile and everything held about them, the
assessments, and the profiles a participant let a convener see."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tracktwo.consent import gates
from tracktwo.consent.models import ConsentRecord, RiskProfile, Tool, ToolAssessment
from tracktwo.dialogues.models import Dialogue, Notice, Participant, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.initiatives.models import Party
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box


def tools_on(dialogue: Dialogue) -> list[str]:
    """The tools whose assessment currently lets them be used."""
    return [tool for tool in Tool.values if not gates.assessment_problem(dialogue, tool)]


def consent_terms(dialogue: Dialogue) -> list[str]:
    """What the participant consents to, in plain language and the reader's language:
    what is recorded, who sees it, what leaves, what the server reads, how long it is
    kept, and how to withdraw and delete."""
    rules = gates.effective_protections(dialogue)
    on = tools_on(dialogue)
    leaves = []
    if Tool.BRIEFS in on:
        leaves.append(_("a brief to Track One: shares of agreement per side, never who voted"))
    if Tool.POLIS_EXPORT in on and rules.exports:
        leaves.append(_("an export of the votes under new random numbers, without handles"))
    if Tool.EVALUATION in on:
        leaves.append(_("survey results per side, small groups withheld"))
    retention = dialogue.initiative.retention_days
    return [
        _(
            "We record your handle, the side you speak for, your statements and your votes. "
            "Your real name is not needed."
        ),
        _(
            "Facilitators see statements and totals, never who wrote or voted what. "
            "Nobody else sees anything unless the facilitators share results."
        ),
        (
            _("What can leave the dialogue: %(list)s.") % {"list": "; ".join(leaves)}
            if leaves
            else _("Nothing leaves the dialogue: no brief, export or survey is switched on.")
        ),
        _(
            "The server can read what you write while it runs: texts are encrypted in the "
            "database, and the operator holds the key."
        ),
        _("Everything is deleted %(days)d days after the dialogue's last activity.")
        % {"days": retention},
        _(
            "You can withdraw at any time: your statements and votes leave every result at "
            "once. You can download all we hold about you, and delete it."
        ),
    ]


def own_risk_profile(participant: Participant, box: Box | None = None) -> dict[str, Any] | None:
    box = box or box_for(participant.dialogue.initiative_id)
    found = RiskProfile.objects.filter(participant=participant).first()
    return found.record.read(box) if found is not None else None


def consent_state(participant: Participant) -> dict[str, Any]:
    dialogue = participant.dialogue
    return {
        "version": dialogue.consent_version,
        "given": participant.consent_version_accepted >= dialogue.consent_version,
        "terms": consent_terms(dialogue),
        "records": consent_records(participant),
    }


def consent_records(participant: Participant) -> list[dict[str, Any]]:
    """The participant's consents; one given when joining, if that is all, is shown as such."""
    if participant.consent_version_accepted and not participant.consent_records.exists():
        return [
            {
                "version": participant.consent_version_accepted,
                "language": "",
                "given_at": participant.joined_at.isoformat(),
                "withdrawn_at": None,
            }
        ]
    return [
        {
            "version": row.version,
            "language": row.language,
            "given_at": row.given_at.isoformat(),
            "withdrawn_at": row.withdrawn_at.isoformat() if row.withdrawn_at else None,
        }
        for row in ConsentRecord.objects.filter(participant=participant).order_by("id")
    ]


def my_data(participant: Participant) -> dict[str, Any]:
    """Everything the system holds about the participant, decrypted, for them alone."""
    dialogue = participant.dialogue
    box = box_for(dialogue.initiative_id)
    profile = Profile.from_json(participant.profile.read(box))
    party = Party.objects.filter(pk=profile.party_id).first()
    statements = Statement.objects.filter(author_participant=participant).order_by("id")
    votes = Vote.objects.filter(participant=participant).order_by("id")
    return {
        "dialogue": dialogue.pk,
        "handle": participant.handle.read(box),
        "role": participant.role,
        "joined_at": participant.joined_at.isoformat(),
        "profile": {**profile.to_json(), "party": party.name.read(box) if party else ""},
        "ground_rules_version_accepted": participant.ground_rules_version_accepted,
        "statements": [
            {
                "id": s.pk,
                "text": s.text.read(box),
                "moderation": s.moderation,
                "created_at": s.created_at.isoformat(),
                "withdrawn": s.deleted_at is not None,
            }
            for s in statements
        ],
        "votes": [
            {"statement": v.statement_id, "vote": v.value, "at": v.created_at.isoformat()}
            for v in votes
        ],
        "notices": [
            {"kind": n.kind, "text": n.body.read(box), "at": n.created_at.isoformat()}
            for n in Notice.objects.filter(participant=participant).order_by("id")
        ],
        "consent": consent_records(participant),
        "risk_profile": own_risk_profile(participant, box),
    }


def assessments(dialogue: Dialogue) -> list[dict[str, Any]]:
    """Every recorded assessment (latest last), and whether each tool is on now."""
    box = box_for(dialogue.initiative_id)
    return [
        {
            "id": a.pk,
            "tool": a.tool,
            "enabled": a.enabled,
            "level": a.level,
            "decided_at": a.decided_at.isoformat(),
            **a.answers.read(box),
        }
        for a in ToolAssessment.objects.filter(dialogue=dialogue).order_by("id")
    ]


def profiles_shared_with(user_id: int, dialogue: Dialogue) -> list[dict[str, Any]]:
    """The risk profiles whose participants chose to let this convener see them."""
    box = box_for(dialogue.initiative_id)
    found = []
    for row in RiskProfile.objects.filter(
        participant__dialogue=dialogue, participant__withdrawn_at__isnull=True
    ).select_related("participant__dialogue"):
        record = row.record.read(box)
        if user_id in record.get("share_with", []):
            found.append({"handle": row.participant.handle.read(box), **record})
    return found
