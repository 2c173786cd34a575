"""From candidate versions to an agreed text, its distribution, and its later publication.

The facilitators mark candidate versions and open the ranking; each participant ranks the
candidates (a ballot under an opaque key; ranking again replaces it); the Schulze method
(:mod:`tracktwo.analysis.schulze`) orders them, and the facilitators record the group's
choice, the Schulze winner, as the agreed text. The agreed text goes to its own
distribution list. Publication is a later, optional step: the facilitators propose a
publishable version, and it is published once a majority of every side approved it and
the convener's do-no-harm assessment of publication allows it
(:func:`tracktwo.consent.gates.require_assessment`).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.analysis.schulze import SchulzeResult, schulze
from tracktwo.consent.gates import require_assessment
from tracktwo.consent.models import Tool
from tracktwo.dialogues.models import Participant, Profile
from tracktwo.initiatives import permissions
from tracktwo.jointtext import rules
from tracktwo.jointtext.models import Approval, JointText, RankedBallot, TextVersion
from tracktwo.practice.errors import Conflict, InvalidInput
from tracktwo.practice.formats import ParticipantRole
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing

MAX_RECIPIENTS = 50


def _facilitate(by: User, joint_text: JointText) -> None:
    permissions.require(
        permissions.can_facilitate(by, joint_text.dialogue), _("run the joint text")
    )


def _audit(action: str, by: User, joint_text: JointText, **details: int) -> None:
    record(
        action,
        actor=Actor.user(by),
        initiative_id=joint_text.dialogue.initiative_id,
        target_type="dialogue",
        target_id=joint_text.dialogue_id,
        details=details,
    )


def candidates(joint_text: JointText) -> list[TextVersion]:
    return list(
        TextVersion.objects.filter(joint_text=joint_text, candidate=True).order_by("number")
    )


@transaction.atomic
def open_ranking(joint_text: JointText, numbers: Sequence[int], by: User) -> list[TextVersion]:
    """Make versions ``numbers`` the candidates (two or more) and open the ranking."""
    _facilitate(by, joint_text)
    if joint_text.agreed_version_id is not None:
        raise Conflict(_("the joint text is agreed already"))
    chosen = set(numbers)
    versions = TextVersion.objects.filter(joint_text=joint_text)
    if len(chosen) < 2 or versions.filter(number__in=chosen).count() != len(chosen):
        raise InvalidInput(_("choose two or more versions of this text"), field="versions")
    versions.update(candidate=False)
    versions.filter(number__in=chosen).update(candidate=True)
    RankedBallot.objects.filter(joint_text=joint_text).delete()
    joint_text.ranking_open = True
    joint_text.save(update_fields=["ranking_open"])
    _audit("jointtext.ranking-opened", by, joint_text, candidates=len(chosen))
    return candidates(joint_text)


@transaction.atomic
def rank(participant: Participant, order: Sequence[int]) -> RankedBallot:
    """The participant's ranking: candidate version numbers, best first (partial is fine)."""
    rules.require_participant(participant)
    rules.require_negotiating(participant.dialogue)
    joint_text = rules.joint_text_of(participant.dialogue)
    if not joint_text.ranking_open:
        raise Conflict(_("the ranking of candidate versions is not open"))
    allowed = {v.number for v in candidates(joint_text)}
    if len(set(order)) != len(order) or not set(order) <= allowed:
        raise InvalidInput(
            _("rank each candidate version at most once: %(allowed)s")
            % {"allowed": ", ".join(str(n) for n in sorted(allowed))},
            field="ranking",
        )
    box = box_for_sealing(participant.dialogue.initiative_id)
    key = rules.voter_key(box, joint_text, participant)
    ballot = RankedBallot.objects.filter(joint_text=joint_text, voter=key).first()
    ballot = ballot or RankedBallot(joint_text=joint_text, voter=key)
    ballot.ranking.write(box, [int(n) for n in order])
    ballot.save()
    return ballot


def result(joint_text: JointText) -> SchulzeResult | None:
    """The Schulze order of the candidates over every ballot (None without candidates)."""
    names = [str(v.number) for v in candidates(joint_text)]
    if not names:
        return None
    box = box_for(joint_text.dialogue.initiative_id)
    ballots = [
        [str(n) for n in b.ranking.read(box)]
        for b in RankedBallot.objects.filter(joint_text=joint_text).order_by("pk")
    ]
    return schulze(ballots, candidates=names)


@transaction.atomic
def agree(joint_text: JointText, by: User) -> TextVersion:
    """Close the ranking and record its Schulze winner as the agreed text."""
    _facilitate(by, joint_text)
    if not joint_text.ranking_open:
        raise Conflict(_("open the ranking of candidate versions first"))
    ranked = result(joint_text)
    if ranked is None or ranked.n_ballots == ranked.n_empty:
        raise Conflict(_("nobody has ranked the candidate versions yet"))
    winner = TextVersion.objects.get(joint_text=joint_text, number=int(ranked.winner))
    joint_text.ranking_open = False
    joint_text.agreed_version = winner
    joint_text.agreed_at = timezone.now()
    joint_text.save(update_fields=["ranking_open", "agreed_version", "agreed_at"])
    _audit("jointtext.agreed", by, joint_text, version=winner.number)
    return winner


@transaction.atomic
def set_distribution(joint_text: JointText, recipients: Sequence[str], by: User) -> list[str]:
    """Who receives the agreed text (names or offices, one each; the list replaces the old)."""
    _facilitate(by, joint_text)
    if len(recipients) > MAX_RECIPIENTS:
        raise InvalidInput(
            _("at most %(n)d recipients") % {"n": MAX_RECIPIENTS}, field="recipients"
        )
    clean = [clean_text(r, f"recipients[{i}]", max_chars=200) for i, r in enumerate(recipients)]
    joint_text.distribution.write(box_for_sealing(joint_text.dialogue.initiative_id), clean)
    joint_text.save(update_fields=["distribution_sealed"])
    _audit("jointtext.distribution", by, joint_text, recipients=len(clean))
    return clean


@transaction.atomic
def propose_publication(joint_text: JointText, number: int, by: User) -> TextVersion:
    """Put version ``number`` (the agreed one or a later, publishable wording) to the group."""
    _facilitate(by, joint_text)
    agreed = joint_text.agreed_version
    if agreed is None:
        raise Conflict(_("only an agreed text can be published: agree on it first"))
    if joint_text.published_at is not None:
        raise Conflict(_("the joint text is published already"))
    version = TextVersion.objects.filter(joint_text=joint_text, number=number).first()
    if version is None or version.number < agreed.number:
        raise InvalidInput(_("choose the agreed version or a later one"), field="version")
    joint_text.publishable_version = version
    joint_text.save(update_fields=["publishable_version"])
    Approval.objects.filter(joint_text=joint_text).delete()
    return version


@transaction.atomic
def approve(participant: Participant) -> Approval:
    """The participant approves publishing the proposed publishable version."""
    rules.require_participant(participant)
    joint_text = rules.joint_text_of(participant.dialogue)
    if joint_text.publishable_version_id is None or joint_text.published_at is not None:
        raise Conflict(_("no publishable version is waiting for approval"))
    box = box_for_sealing(participant.dialogue.initiative_id)
    key = rules.voter_key(box, joint_text, participant)
    side = Profile.from_json(participant.profile.read(box)).party_id
    approval = Approval.objects.filter(joint_text=joint_text, voter=key).first()
    approval = approval or Approval(joint_text=joint_text, voter=key)
    approval.record.write(box, {"side": side})
    approval.save()
    return approval


def approvals_by_side(joint_text: JointText) -> dict[int, tuple[int, int]]:
    """Per side (party id): (approvals, active participants)."""
    box = box_for(joint_text.dialogue.initiative_id)
    people: dict[int, int] = {}
    for p in Participant.objects.filter(
        dialogue=joint_text.dialogue, withdrawn_at__isnull=True, role=ParticipantRole.PARTICIPANT
    ):
        side = Profile.from_json(p.profile.read(box)).party_id
        people[side] = people.get(side, 0) + 1
    given: dict[int, int] = {}
    for a in Approval.objects.filter(joint_text=joint_text):
        side = a.record.read(box)["side"]
        given[side] = given.get(side, 0) + 1
    return {side: (given.get(side, 0), n) for side, n in people.items()}


@transaction.atomic
def publish(joint_text: JointText, by: User) -> JointText:
    """Publish the publishable version once a majority of every side approved it and the
    dialogue's do-no-harm assessment of publication allows it (Conflict, 409, otherwise)."""
    _facilitate(by, joint_text)
    if joint_text.publishable_version_id is None:
        raise Conflict(_("propose a publishable version first"))
    if joint_text.published_at is not None:
        raise Conflict(_("the joint text is published already"))
    counts = approvals_by_side(joint_text)
    if not counts or any(2 * given <= n for given, n in counts.values()):
        raise Conflict(_("a majority of every side must approve the publishable version first"))
    require_assessment(joint_text.dialogue, Tool.PUBLICATION)
    joint_text.published_at = timezone.now()
    joint_text.save(update_fields=["published_at"])
    _audit("jointtext.published", by, joint_text)
    return joint_text
