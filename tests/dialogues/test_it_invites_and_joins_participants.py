from datetime import timedelta

import pytest
from django.utils import timezone
from factories import LEAD_FACILITATOR, Workshop, make_user, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Invitation, Participant, ParticipantIdentity
from tracktwo.dialogues.models.contributions import Profile
from tracktwo.practice.errors import (
    GroundRulesNotAccepted,
    HandleTaken,
    InvalidInput,
    InvitationExpired,
    InvitationUsed,
    NotAllowed,
    NotAuthenticated,
    NotFound,
)
from tracktwo.safety.crypto import token_digest
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_joins_with_an_invitation_a_handle_and_the_ground_rules(workshop: Workshop) -> None:
    _, token = actions.create_invitation(
        workshop.dialogue, party=workshop.parties[1], track=4, official=True, by=workshop.convener
    )
    assert token.startswith("t2i_")
    joined = actions.join(token, "  Olive   tree ", True, languages=["ar", "en-GB"], gender="f")
    participant = joined.participant
    assert joined.token.startswith("t2p_")
    assert len(joined.recovery_code) == 24
    assert participant.token_digest == token_digest(joined.token)
    box = workshop.box()
    assert participant.handle.read(box) == "Olive tree"
    profile = Profile.from_json(participant.profile.read(box))
    assert profile == Profile(
        party_id=workshop.parties[1].pk,
        track=4,
        official=True,
        languages=("ar", "en-GB"),
        gender="female",  # "f" as typed, counted on the fixed list
        region="",
    )
    assert participant.public_id not in ("Olive tree", "olive tree")
    assert participant.ground_rules_version_accepted == workshop.dialogue.ground_rules_version
    assert actions.participant_by_token(joined.token) == participant
    invitation = Invitation.objects.get(token_digest=token_digest(token))
    assert invitation.used_at is not None


def test_it_stores_only_digests_of_tokens(workshop: Workshop) -> None:
    token = workshop.invite()
    joined = actions.join(token, "Heron", True)
    assert not Invitation.objects.filter(token_digest=token).exists()
    stored = Participant.objects.filter(pk=joined.participant.pk).values().get()
    for value in stored.values():
        assert joined.token not in str(value)
        assert joined.recovery_code not in str(value)


def test_it_admits_one_person_per_invitation(workshop: Workshop) -> None:
    token = workshop.invite()
    actions.join(token, "First", True)
    with pytest.raises(InvitationUsed) as caught:
        actions.join(token, "Second", True)
    assert caught.value.http_status == 410


def test_it_refuses_an_expired_invitation(workshop: Workshop) -> None:
    token = workshop.invite(expires_in=timedelta(minutes=5))
    Invitation.objects.filter(token_digest=token_digest(token)).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(InvitationExpired) as caught:
        actions.join(token, "Late", True)
    assert caught.value.http_status == 410


def test_it_refuses_unknown_tokens(workshop: Workshop) -> None:
    with pytest.raises(NotFound):
        actions.join("t2i_" + "x" * 43, "Nobody", True)
    with pytest.raises(NotFound):
        actions.join("not-a-token", "Nobody", True)
    with pytest.raises(NotAuthenticated) as caught:
        actions.participant_by_token("t2p_unknown")
    assert caught.value.http_status == 401


def test_it_needs_the_ground_rules_accepted_and_keeps_the_invitation(workshop: Workshop) -> None:
    token = workshop.invite()
    with pytest.raises(GroundRulesNotAccepted) as caught:
        actions.join(token, "Hasty", False)
    assert caught.value.http_status == 400
    assert Invitation.objects.get(token_digest=token_digest(token)).used_at is None
    actions.join(token, "Hasty", True)


@pytest.mark.parametrize(
    "variant",
    ["Olive", "OLIVE", "olive ", "Ｏｌｉｖｅ", "Ol\u200bive", "ＯＬＩＶＥ"],
)
def test_it_keeps_handles_unique_whatever_their_case_or_width(
    workshop: Workshop, variant: str
) -> None:
    workshop.join("olive")
    token = workshop.invite(party=1)
    if "\u200b" in variant:
        with pytest.raises(InvalidInput):
            actions.join(token, variant, True)
        return
    with pytest.raises(HandleTaken) as caught:
        actions.join(token, variant, True)
    assert caught.value.http_status == 409
    assert "olive" not in str(caught.value).lower()
    assert Invitation.objects.get(token_digest=token_digest(token)).used_at is None


def test_it_allows_the_same_handle_in_another_dialogue(workshop: Workshop) -> None:
    workshop.join("Olive")
    other = make_workshop("Elsewhere")
    other.join("Olive")
    second = actions.create_dialogue(
        workshop.initiative, "Again", "citizen-exchange", "off-the-record", workshop.convener
    )
    _, token = actions.create_invitation(second, party=workshop.parties[0], by=workshop.convener)
    joined = actions.join(token, "Olive", True)
    first = Participant.objects.get(dialogue=workshop.dialogue)
    assert joined.participant.handle_digest != first.handle_digest


@pytest.mark.parametrize("handle", ["", "   ", "x" * 41, "!!!", "nul\x00byte", 7])
def test_it_refuses_unusable_handles(workshop: Workshop, handle: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.join(workshop.invite(), handle, True)  # type: ignore[arg-type]
    assert caught.value.field == "handle"


def test_it_checks_invitation_terms(workshop: Workshop) -> None:
    other = make_workshop("Elsewhere")
    with pytest.raises(InvalidInput) as caught:
        actions.create_invitation(workshop.dialogue, party=other.parties[0], by=workshop.convener)
    assert caught.value.field == "party"
    for track in (0, 10, True):
        with pytest.raises(InvalidInput) as caught:
            actions.create_invitation(
                workshop.dialogue, party=workshop.parties[0], track=track, by=workshop.convener
            )
        assert caught.value.field == "track"
    with pytest.raises(InvalidInput) as caught:
        actions.create_invitation(
            workshop.dialogue, party=workshop.parties[0], role="facilitator", by=workshop.convener
        )
    assert caught.value.field == "role"
    with pytest.raises(NotAllowed):
        actions.create_invitation(workshop.dialogue, party=workshop.parties[0], by=make_user())


def test_it_recovers_a_lost_token_once(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    recovered = actions.recover(workshop.dialogue, "HERON", joined.recovery_code.lower())
    assert recovered.participant.pk == joined.participant.pk
    assert recovered.token != joined.token
    with pytest.raises(NotAuthenticated):
        actions.participant_by_token(joined.token)
    assert actions.participant_by_token(recovered.token).pk == joined.participant.pk
    with pytest.raises(NotFound):
        actions.recover(workshop.dialogue, "Heron", joined.recovery_code)
    with pytest.raises(NotFound) as wrong_handle:
        actions.recover(workshop.dialogue, "Crane", recovered.recovery_code)
    with pytest.raises(NotFound) as wrong_code:
        actions.recover(workshop.dialogue, "Heron", "AAAA-AAAA-AAAA-AAAA-AAAA")
    assert str(wrong_handle.value) == str(wrong_code.value)
    assert AuditEvent.objects.filter(action="participant.recovered").count() == 1


def test_it_withdraws_a_participant(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    actions.withdraw(joined.participant)
    with pytest.raises(NotAuthenticated):
        actions.participant_by_token(joined.token)
    with pytest.raises(NotFound):
        actions.recover(workshop.dialogue, "Heron", joined.recovery_code)
    event = AuditEvent.objects.get(action="participant.withdrew")
    assert event.actor_id == joined.participant.public_id


def test_it_moves_a_recorded_identity_from_the_invitation_to_conveners_only(
    workshop: Workshop,
) -> None:
    _, token = actions.create_invitation(
        workshop.dialogue,
        party=workshop.parties[0],
        by=workshop.convener,
        identity={"real_name": "Amal Haddad", "contact": "+000 555 0101"},
    )
    joined = actions.join(token, "Heron", True)
    invitation = Invitation.objects.get(token_digest=token_digest(token))
    assert bytes(invitation.identity_sealed) == b""
    identity = actions.view_identity(joined.participant, workshop.convener)
    assert identity is not None
    assert identity.real_name == "Amal Haddad"
    assert identity.party == "Upstream"
    listed = actions.list_identities(workshop.dialogue, workshop.convener)
    assert [i.real_name for i in listed] == ["Amal Haddad"]
    assert joined.participant.public_id not in repr(listed)
    viewed = AuditEvent.objects.get(action="identity.viewed")
    assert viewed.actor_id == str(workshop.convener.pk)
    assert "Amal" not in str(viewed.details)
    assert AuditEvent.objects.filter(action="identity.listed").count() == 1


def test_it_shows_identities_to_conveners_only(workshop: Workshop) -> None:
    facilitator = workshop.cast(LEAD_FACILITATOR).lead_facilitator
    joined = workshop.join("Heron")
    actions.record_identity(joined.participant, workshop.convener, real_name="Dov Levi")
    for user in (facilitator, make_user(), make_workshop("Other").convener):
        with pytest.raises(NotAllowed):
            actions.view_identity(joined.participant, user)
        with pytest.raises(NotAllowed):
            actions.list_identities(workshop.dialogue, user)
        with pytest.raises(NotAllowed):
            actions.record_identity(joined.participant, user, real_name="Someone")
    with pytest.raises(NotAllowed):
        actions.create_invitation(
            workshop.dialogue,
            party=workshop.parties[0],
            by=facilitator,
            identity={"real_name": "X"},
        )
    assert actions.erase_identity(joined.participant, workshop.convener)
    assert not ParticipantIdentity.objects.exists()
    assert actions.view_identity(joined.participant, workshop.convener) is None


def test_it_erases_the_identity_when_a_participant_withdraws(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    actions.record_identity(joined.participant, workshop.convener, real_name="Dov Levi")
    actions.withdraw(joined.participant)
    assert not ParticipantIdentity.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"languages": "ar"}, "languages"),
        ({"languages": ["ar", "not a tag"]}, "languages[1]"),
        ({"gender": "x" * 61}, "gender"),
        ({"region": 5}, "region"),
    ],
)
def test_it_names_the_bad_profile_field_on_joining(
    workshop: Workshop, kwargs: dict, field: str
) -> None:
    token = workshop.invite()
    with pytest.raises(InvalidInput) as caught:
        actions.join(token, "Heron", True, **kwargs)
    assert caught.value.field == field
    assert Invitation.objects.get(token_digest=token_digest(token)).used_at is None


@pytest.mark.parametrize("expires_in", [timedelta(seconds=10), timedelta(days=91), 7])
def test_it_bounds_invitation_lifetimes(workshop: Workshop, expires_in: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        workshop.invite(expires_in=expires_in)
    assert caught.value.field == "expires_in"
