import pytest
from django.contrib.auth.models import AnonymousUser
from factories import (
    FACILITATOR,
    LEAD_FACILITATOR,
    LIAISON,
    OBSERVER,
    OUTSIDER,
    Workshop,
    make_user,
    make_workshop,
)

from tracktwo.dialogues import actions
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_grants_each_role_what_it_needs_and_no_more(workshop: Workshop) -> None:
    initiative, dialogue, convener = workshop.initiative, workshop.dialogue, workshop.convener
    other = actions.create_dialogue(initiative, "Second", "living-room", "secret", convener)
    workshop.cast(LEAD_FACILITATOR, FACILITATOR, OBSERVER, LIAISON, OUTSIDER)
    wide_facilitator, facilitator = workshop.lead_facilitator, workshop.facilitator
    observer, liaison, stranger = workshop.observer, workshop.liaison, workshop.outsider
    outsider = make_workshop("Elsewhere").convener
    table = {
        # user: (convene, facilitate dialogue, observe dialogue, observe secret other, see initiative)
        convener: (True, True, True, True, True),
        wide_facilitator: (False, True, True, True, True),
        facilitator: (False, True, True, False, True),
        observer: (False, False, True, False, True),
        liaison: (False, False, False, False, False),
        stranger: (False, False, False, False, False),
        outsider: (False, False, False, False, False),
        AnonymousUser(): (False, False, False, False, False),
    }
    for user, expected in table.items():
        got = (
            permissions.can_convene(user, initiative),
            permissions.can_facilitate(user, dialogue),
            permissions.can_observe(user, dialogue),
            permissions.can_observe(user, other),
            permissions.can_see_initiative(user, initiative),
        )
        assert got == expected, user
    assert permissions.is_liaison(liaison, initiative)
    assert not permissions.is_liaison(convener, initiative)
    assert [d.pk for d in permissions.visible_dialogues(facilitator, initiative)] == [dialogue.pk]
    assert [d.pk for d in permissions.visible_dialogues(convener, initiative)] == [
        dialogue.pk,
        other.pk,
    ]
    assert permissions.visible_dialogues(liaison, initiative) == []


def test_it_gives_a_superuser_nothing_by_default(workshop: Workshop) -> None:
    root = make_user()
    root.is_superuser = True
    root.is_staff = True
    root.save()
    assert not permissions.can_facilitate(root, workshop.dialogue)
    assert not permissions.can_convene(root, workshop.initiative)


def test_it_ignores_deactivated_accounts(workshop: Workshop) -> None:
    workshop.convener.is_active = False
    workshop.convener.save()
    assert not permissions.can_convene(workshop.convener, workshop.initiative)


def test_it_changes_roles_with_an_audit_trail(workshop: Workshop) -> None:
    person = make_user()
    initiative_actions.add_member(workshop.initiative, person, "observer", workshop.convener)
    initiative_actions.add_member(workshop.initiative, person, "observer", workshop.convener)
    initiative_actions.add_member(workshop.initiative, person, "facilitator", workshop.convener)
    initiative_actions.remove_member(workshop.initiative, person, workshop.convener)
    changes = list(
        AuditEvent.objects.filter(action="member.role_changed", target_id=str(person.pk))
        .order_by("id")
        .values_list("details", flat=True)
    )
    assert [(c["role_from"], c["role_to"]) for c in changes] == [
        (None, "observer"),
        ("observer", "facilitator"),
        ("facilitator", None),
    ]
    with pytest.raises(NotFound):
        initiative_actions.remove_member(workshop.initiative, person, workshop.convener)


def test_it_lets_only_conveners_change_members(workshop: Workshop) -> None:
    facilitator = make_user()
    initiative_actions.add_member(
        workshop.initiative, facilitator, "facilitator", workshop.convener
    )
    with pytest.raises(NotAllowed):
        initiative_actions.add_member(workshop.initiative, make_user(), "observer", facilitator)
    with pytest.raises(NotAllowed):
        initiative_actions.add_member(workshop.initiative, facilitator, "convener", facilitator)


def test_it_keeps_conveners_initiative_wide_and_at_least_one(workshop: Workshop) -> None:
    with pytest.raises(InvalidInput) as caught:
        initiative_actions.add_member(
            workshop.initiative,
            make_user(),
            "convener",
            workshop.convener,
            dialogue=workshop.dialogue,
        )
    assert caught.value.field == "dialogue"
    with pytest.raises(InvalidInput):
        initiative_actions.add_member(
            workshop.initiative, make_user(), "admiral", workshop.convener
        )
    with pytest.raises(Conflict):
        initiative_actions.remove_member(workshop.initiative, workshop.convener, workshop.convener)
    with pytest.raises(Conflict):
        initiative_actions.add_member(
            workshop.initiative, workshop.convener, "observer", workshop.convener
        )
    second = make_user()
    initiative_actions.add_member(workshop.initiative, second, "convener", workshop.convener)
    initiative_actions.remove_member(workshop.initiative, workshop.convener, second)
    assert not permissions.can_convene(workshop.convener, workshop.initiative)


def test_it_keeps_participants_to_their_own_dialogue(workshop: Workshop) -> None:
    participant = workshop.join("Heron").participant
    other = actions.create_dialogue(
        workshop.initiative, "Other", "living-room", "chatham-house", workshop.convener
    )
    assert permissions.participant_may_act(participant, workshop.dialogue)
    assert not permissions.participant_may_act(participant, other)
    assert not permissions.participant_may_see_results(participant, workshop.dialogue)
    actions.share_results(workshop.dialogue, True, workshop.convener)
    workshop.dialogue.refresh_from_db()
    assert permissions.participant_may_see_results(participant, workshop.dialogue)
    with pytest.raises(NotAllowed):
        permissions.require(False, "do that")
