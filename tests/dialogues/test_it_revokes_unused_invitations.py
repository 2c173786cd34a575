"""Revoking an invitation nobody has used: it admits no one, the audit log says who did it,
a used one stays as it is, and only the dialogue's facilitators may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import FACILITATOR, OBSERVER, OUTSIDER, Workshop, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Invitation, Participant
from tracktwo.dialogues.queries import invitations as outstanding
from tracktwo.practice.errors import Conflict, InvitationRevoked, NotAllowed, NotFound
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def _invitation(workshop: Workshop, **kwargs: object) -> tuple[Invitation, str]:
    return actions.create_invitation(
        workshop.dialogue,
        party=workshop.parties[0],
        by=workshop.convener,
        **kwargs,  # type: ignore[arg-type]
    )


def test_it_turns_away_whoever_holds_a_revoked_invitation(workshop: Workshop) -> None:
    invitation, token = _invitation(workshop)
    actions.revoke_invitation(workshop.dialogue, invitation.pk, workshop.convener)
    with pytest.raises(InvitationRevoked) as refused:
        actions.join(token, "Heron", True)
    assert refused.value.http_status == 410
    assert not Participant.objects.exists()
    event = AuditEvent.objects.get(action="invitation.revoked")
    assert event.actor_id == str(workshop.convener.pk)
    assert event.details == {"invitation": invitation.pk, "had_expired": False}


def test_it_keeps_a_used_invitation_and_refuses_to_revoke_twice(workshop: Workshop) -> None:
    used, token = _invitation(workshop)
    actions.join(token, "Heron", True)
    with pytest.raises(Conflict):
        actions.revoke_invitation(workshop.dialogue, used.pk, workshop.convener)
    used.refresh_from_db()
    assert used.revoked_at is None
    spare, _token = _invitation(workshop)
    actions.revoke_invitation(workshop.dialogue, spare.pk, workshop.convener)
    with pytest.raises(Conflict):
        actions.revoke_invitation(workshop.dialogue, spare.pk, workshop.convener)
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_it_drops_a_recorded_identity_with_the_invitation(workshop: Workshop) -> None:
    invitation, _token = _invitation(workshop, identity={"real_name": "Amal Haddad"})
    assert invitation.identity.is_set
    actions.revoke_invitation(workshop.dialogue, invitation.pk, workshop.convener)
    invitation.refresh_from_db()
    assert not invitation.identity.is_set


def test_it_lets_only_the_dialogues_facilitators_revoke(workshop: Workshop) -> None:
    invitation, _token = _invitation(workshop)
    workshop.cast(OBSERVER, FACILITATOR, OUTSIDER)
    for refused in (workshop.observer, workshop.outsider):
        with pytest.raises(NotAllowed):
            actions.revoke_invitation(workshop.dialogue, invitation.pk, refused)
    other = make_workshop("Another valley")
    with pytest.raises(NotFound):  # named through another dialogue
        actions.revoke_invitation(other.dialogue, invitation.pk, other.convener)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    actions.revoke_invitation(workshop.dialogue, invitation.pk, workshop.facilitator)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_it_counts_open_used_expired_and_revoked_invitations(workshop: Workshop) -> None:
    kept, _ = _invitation(workshop, track=5, official=True)
    _used, token = _invitation(workshop)
    actions.join(token, "Heron", True)
    revoked, _ = _invitation(workshop)
    actions.revoke_invitation(workshop.dialogue, revoked.pk, workshop.convener)
    expired, _ = _invitation(workshop, expires_in=timedelta(minutes=5))
    Invitation.objects.filter(pk=expired.pk).update(expires_at=expired.created_at)
    counts = outstanding.invitation_counts(workshop.dialogue)
    assert counts == outstanding.InvitationCounts(open=1, used=1, expired=1, revoked=1)
    [still_open] = outstanding.open_invitations(workshop.dialogue)
    assert still_open.id == kept.pk
    assert (still_open.party, still_open.track, still_open.official) == ("Upstream", 5, True)
    assert still_open.track_label == "Research, training and education"
