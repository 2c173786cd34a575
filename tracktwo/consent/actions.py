"""State changes of risk and consent. Each is one transaction, checks its caller, and
writes an audit row that holds ids only (never a level next to a person, never a text).

Participants: :func:`set_risk_profile`, :func:`give_consent`, :func:`withdraw_consent`,
:func:`erase_participant`. Conveners: :func:`assess_tool`, :func:`set_floor`. Whenever
a level may have changed, :func:`refresh_risk` stores the new effective level and, if the
protections rose, applies them (:func:`apply_protections`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.consent.gates import effective_protections
from tracktwo.consent.levels import Level, Protections, effective_level, protections, rank
from tracktwo.consent.models import ConsentRecord, DialogueRisk, RiskProfile, Tool, ToolAssessment
from tracktwo.consent.profiles import clean_profile
from tracktwo.dialogues.actions.invitations import withdraw
from tracktwo.dialogues.models import Dialogue, Notice, Participant, Statement, Vote
from tracktwo.dialogues.models.contributions import Profile, handle_digest
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import InvalidInput, NotAllowed
from tracktwo.practice.formats import Confidentiality, MemberRole
from tracktwo.practice.validation import clean_choice, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing

MAX_ANSWER_CHARS = 2000


def conveners_of(initiative_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            initiative_id=initiative_id, dialogue__isnull=True, role=MemberRole.CONVENER
        ).values_list("user_id", flat=True)
    )


def _require_present(participant: Participant) -> None:
    if participant.withdrawn_at is not None:
        raise NotAllowed(_("you have left this dialogue"))


def _audit(action: str, participant: Participant, **details: Any) -> None:
    record(
        action,
        actor=Actor.participant(participant.public_id),
        initiative_id=participant.dialogue.initiative_id,
        target_type="dialogue",
        target_id=participant.dialogue_id,
        details=details or None,
    )


# -- the participant's own -----------------------------------------------------------------


@transaction.atomic
def set_risk_profile(participant: Participant, data: dict[str, Any]) -> RiskProfile:
    """Record (or replace) the participant's sealed risk profile, then the dialogue's level."""
    _require_present(participant)
    dialogue = participant.dialogue
    clean = clean_profile(data, conveners_of(dialogue.initiative_id))
    box = box_for_sealing(dialogue.initiative_id)
    profile = RiskProfile.objects.filter(participant=participant).first() or RiskProfile(
        participant=participant
    )
    profile.record.write(box, clean)
    profile.save()
    _audit("risk_profile.recorded", participant)
    refresh_risk(dialogue)
    return profile


@transaction.atomic
def give_consent(participant: Participant, version: int, language: str = "") -> ConsentRecord:
    """Consent to the current version of the dialogue's consent terms (audited)."""
    _require_present(participant)
    dialogue = participant.dialogue
    dialogue.refresh_from_db(fields=["consent_version"])
    if version != dialogue.consent_version:
        raise InvalidInput(
            _("the current consent terms are version %(version)d")
            % {"version": dialogue.consent_version},
            field="version",
        )
    given = ConsentRecord.objects.create(
        participant=participant, version=version, language=str(language)[:16]
    )
    participant.consent_version_accepted = version
    participant.save(update_fields=["consent_version_accepted"])
    _audit("consent.given", participant, version=version)
    return given


def _remove_contributions(participant: Participant, *, erase_texts: bool) -> None:
    """Votes go; statements are withdrawn from every output (their text erased too when
    ``erase_texts``)."""
    now = timezone.now()
    Vote.objects.filter(participant=participant).delete()
    statements = Statement.objects.filter(author_participant=participant)
    statements.filter(deleted_at__isnull=True).update(deleted_at=now)
    if erase_texts:
        box = box_for_sealing(participant.dialogue.initiative_id)
        for statement in statements.select_related("dialogue"):
            statement.text.write(box, "")
            statement.save(update_fields=["text_sealed"])


@transaction.atomic
def withdraw_consent(participant: Participant) -> None:
    """Withdraw consent: the participant's votes and statements leave every future output
    (analysis, pages, briefs) at once, and they take no further part until they consent
    again. What else is held stays theirs to download or delete."""
    _require_present(participant)
    given = ConsentRecord.objects.filter(participant=participant, withdrawn_at__isnull=True)
    if not given.exists() and participant.consent_version_accepted:  # given when joining
        ConsentRecord.objects.create(
            participant=participant, version=participant.consent_version_accepted
        )
        given.update(given_at=participant.joined_at)
    given.update(withdrawn_at=timezone.now())
    participant.consent_version_accepted = 0
    participant.save(update_fields=["consent_version_accepted"])
    _remove_contributions(participant, erase_texts=False)
    _audit("consent.withdrawn", participant)


@transaction.atomic
def erase_participant(participant: Participant) -> None:
    """Delete everything held about the participant: votes, statement texts, notices, risk
    profile, consent records, identity, handle and profile; the token stops working.
    Audited by the participant's opaque id only."""
    _require_present(participant)
    dialogue = participant.dialogue
    _remove_contributions(participant, erase_texts=True)
    Notice.objects.filter(participant=participant).delete()
    RiskProfile.objects.filter(participant=participant).delete()
    ConsentRecord.objects.filter(participant=participant).delete()
    box = box_for_sealing(dialogue.initiative_id)
    participant.handle.write(box, "")
    participant.profile.write(box, Profile(party_id=0).to_json())
    participant.handle_digest = handle_digest(box, dialogue.pk, f"erased {participant.public_id}")
    participant.consent_version_accepted = 0
    participant.save(
        update_fields=[
            "handle_sealed",
            "profile_sealed",
            "handle_digest",
            "consent_version_accepted",
        ]
    )
    withdraw(participant, remove_contributions=True)
    _audit("participant.erased", participant)
    refresh_risk(dialogue)


# -- the dialogue's level --------------------------------------------------------------------


def members_levels(dialogue: Dialogue) -> list[str]:
    """Every present participant's level (decrypted here, never stored next to anyone)."""
    box = box_for_sealing(dialogue.initiative_id)
    rows = RiskProfile.objects.filter(
        participant__dialogue=dialogue, participant__withdrawn_at__isnull=True
    ).select_related("participant__dialogue")
    return [str(row.record.read(box).get("level", Level.LOW)) for row in rows]


def refresh_risk(dialogue: Dialogue) -> DialogueRisk:
    """Store the dialogue's effective level; apply the protections if they rose."""
    risk, _created = DialogueRisk.objects.select_for_update().get_or_create(dialogue=dialogue)
    before = protections(risk.effective, risk.floor)
    risk.effective = effective_level(members_levels(dialogue))
    risk.save(update_fields=["effective", "updated_at"])
    after = protections(risk.effective, risk.floor)
    if stricter(before, after):
        apply_protections(dialogue, after)
    return risk


def stricter(before: Protections, after: Protections) -> bool:
    """Whether ``after`` switches on anything ``before`` did not (a level that changes no
    rule, such as elevated over low, changes nothing)."""
    return rank(after.level) > rank(before.level) and replace(after, level="") != replace(
        before, level=""
    )


def apply_protections(dialogue: Dialogue, rules: Protections) -> None:
    """Raise the stored settings to the level's floors (never lowers one) and ask every
    participant for consent again: the terms now describe stricter rules."""
    fields = ["consent_version"]
    locked = Dialogue.objects.select_for_update().get(pk=dialogue.pk)  # the caller's may be stale
    if locked.small_cell_threshold < rules.small_cell_floor:
        locked.small_cell_threshold = rules.small_cell_floor
        fields.append("small_cell_threshold")
    if rules.secret and locked.confidentiality != Confidentiality.SECRET:
        locked.confidentiality = Confidentiality.SECRET
        fields.append("confidentiality")
    locked.consent_version += 1
    locked.save(update_fields=fields)
    for name in ("small_cell_threshold", "confidentiality", "consent_version"):
        setattr(dialogue, name, getattr(locked, name))
    initiative = Initiative.objects.select_for_update().get(pk=dialogue.initiative_id)
    cap = rules.retention_cap_days
    if cap is not None and initiative.retention_days > cap:
        initiative.retention_days = cap
        initiative.save(update_fields=["retention_days"])
    record(
        "dialogue.protections_raised",
        actor=Actor.system(),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"level": rules.level},
    )


# -- conveners ---------------------------------------------------------------------------------


@transaction.atomic
def set_floor(user: User, dialogue: Dialogue, level: str) -> DialogueRisk:
    """The convener treats the dialogue as at least ``level`` (stricter, never looser than
    its members' level; audited)."""
    permissions.require(permissions.can_convene(user, dialogue.initiative), _("set the risk level"))
    level = clean_choice(level, "level", Level.values)
    risk, _created = DialogueRisk.objects.select_for_update().get_or_create(dialogue=dialogue)
    before = protections(risk.effective, risk.floor)
    risk.floor = level
    risk.save(update_fields=["floor", "updated_at"])
    after = protections(risk.effective, risk.floor)
    if stricter(before, after):
        apply_protections(dialogue, after)
    record(
        "dialogue.risk_floor_set",
        actor=Actor.user(user),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"floor": level},
    )
    return risk


@transaction.atomic
def assess_tool(
    user: User,
    dialogue: Dialogue,
    tool: str,
    *,
    exposes: str,
    worst_case: str,
    mitigation: str,
    enabled: bool,
) -> ToolAssessment:
    """Record a do-no-harm assessment of ``tool`` for the dialogue, with the decision and
    the effective level it was made at (conveners; audited)."""
    permissions.require(permissions.can_convene(user, dialogue.initiative), _("assess tools"))
    tool = clean_choice(tool, "tool", Tool.values)
    answers = {
        "exposes": clean_text(exposes, "exposes", max_chars=MAX_ANSWER_CHARS, multiline=True),
        "worst_case": clean_text(
            worst_case, "worst_case", max_chars=MAX_ANSWER_CHARS, multiline=True
        ),
        "mitigation": clean_text(
            mitigation, "mitigation", max_chars=MAX_ANSWER_CHARS, multiline=True
        ),
    }
    if not isinstance(enabled, bool):
        raise InvalidInput(_("must be true or false"), field="enabled")
    assessment = ToolAssessment(
        dialogue=dialogue,
        tool=tool,
        enabled=enabled,
        level=effective_protections(dialogue).level,
        decided_by=user,
    )
    assessment.answers.write(box_for_sealing(dialogue.initiative_id), answers)
    assessment.save()
    record(
        "tool.assessed",
        actor=Actor.user(user),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"tool": tool, "enabled": enabled},
    )
    return assessment
