import pytest
from factories import Workshop, make_user, make_workshop

from tracktwo.dialogues import actions
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Membership
from tracktwo.practice.errors import InvalidInput, NotAllowed
from tracktwo.practice.formats import TEMPLATES, MemberRole
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.models import AuditEvent, InitiativeKey

pytestmark = pytest.mark.django_db


def test_it_makes_the_creator_convener_and_seals_the_initiative(workshop: Workshop) -> None:
    initiative = workshop.initiative
    box = workshop.box()
    assert initiative.title.read(box) == "Water and the valley"
    assert [p.name.read(box) for p in workshop.parties] == ["Upstream", "Downstream"]
    assert Membership.objects.get(user=workshop.convener, initiative=initiative).role == "convener"
    assert InitiativeKey.objects.filter(initiative=initiative, version=1).exists()
    assert b"Water" not in bytes(initiative.title_sealed)
    actions_logged = set(
        AuditEvent.objects.filter(initiative_id=initiative.pk).values_list("action", flat=True)
    )
    assert {"initiative.created", "member.role_changed", "dialogue.created"} <= actions_logged


def test_it_records_sponsors_organisation_and_retention() -> None:
    convener = make_user(convener=True)
    initiative = initiative_actions.create_initiative(
        convener,
        "Harbour talks",
        ["North", "South", "Islands"],
        description="Fishing rights\nand the harbour.",
        convening_organisation="Neutral Institute",
        sponsors=["Fund A", "Fund B"],
        retention_days=90,
        transfer_model="middle-out",
    )
    box = box_for(initiative.pk)
    assert initiative.sponsors.read(box) == ["Fund A", "Fund B"]
    assert initiative.description.read(box) == "Fishing rights\nand the harbour."
    assert initiative.convening_organisation.read(box) == "Neutral Institute"
    assert initiative.retention_days == 90
    assert initiative.parties.count() == 3


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "", "parties": ["A", "B"]}, "title"),
        ({"title": "x" * 201, "parties": ["A", "B"]}, "title"),
        ({"title": "T", "parties": ["A"]}, "parties"),
        ({"title": "T", "parties": ["A", "a "]}, "parties[1]"),
        ({"title": "T", "parties": ["A", ""]}, "parties[1]"),
        ({"title": "T", "parties": "AB"}, "parties"),
        ({"title": "T", "parties": ["A", "B"], "retention_days": 0}, "retention_days"),
        ({"title": "T", "parties": ["A", "B"], "transfer_model": "sideways"}, "transfer_model"),
        ({"title": "bell\x07", "parties": ["A", "B"]}, "title"),
    ],
)
def test_it_names_the_field_of_bad_initiative_input(kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        initiative_actions.create_initiative(make_user(convener=True), **kwargs)
    assert caught.value.field == field
    assert caught.value.http_status == 400


def test_it_builds_a_dialogue_from_its_format_template(workshop: Workshop) -> None:
    dialogue = workshop.dialogue
    assert dialogue.phases == TEMPLATES["problem-solving-workshop"].phase_keys()
    assert dialogue.phases[0] == "needs-and-fears"
    assert dialogue.ground_rules.read(workshop.box()) == []
    assert dialogue.ground_rules_version == 1
    assert dialogue.small_cell_threshold == 5
    assert dialogue.title.read(workshop.box()) == "Water and the valley: first workshop"


def test_it_refuses_bad_dialogue_settings(workshop: Workshop) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.create_dialogue(
            workshop.initiative, "T", "town-hall", "chatham-house", workshop.convener
        )
    assert caught.value.field == "format"
    with pytest.raises(InvalidInput) as caught:
        actions.create_dialogue(
            workshop.initiative, "T", "living-room", "public", workshop.convener
        )
    assert caught.value.field == "confidentiality"
    with pytest.raises(InvalidInput) as caught:
        actions.create_dialogue(
            workshop.initiative,
            "T",
            "living-room",
            "secret",
            workshop.convener,
            small_cell_threshold=1,
        )
    assert caught.value.field == "small_cell_threshold"


def test_it_lets_only_conveners_and_initiative_facilitators_create_dialogues(
    workshop: Workshop,
) -> None:
    outsider, observer, facilitator = make_user(), make_user(), make_user()
    initiative_actions.add_member(workshop.initiative, observer, "observer", workshop.convener)
    initiative_actions.add_member(
        workshop.initiative,
        facilitator,
        "facilitator",
        workshop.convener,
        dialogue=workshop.dialogue,
    )
    for user in (outsider, observer, facilitator):
        with pytest.raises(NotAllowed) as caught:
            actions.create_dialogue(workshop.initiative, "T", "living-room", "secret", user)
        assert caught.value.http_status == 403
    initiative_actions.add_member(
        workshop.initiative, facilitator, "facilitator", workshop.convener
    )
    dialogue = actions.create_dialogue(
        workshop.initiative, "Kitchen table", "living-room", "secret", facilitator
    )
    assert dialogue.is_secret


def test_it_changes_details_and_ground_rules(workshop: Workshop) -> None:
    convener, dialogue = workshop.convener, workshop.dialogue
    initiative_actions.update_initiative(
        workshop.initiative, convener, title="Renamed", retention_days=30
    )
    assert workshop.initiative.title.read(workshop.box()) == "Renamed"
    assert AuditEvent.objects.filter(action="initiative.retention_changed").count() == 1
    actions.update_dialogue(dialogue, convener, title="Second try", moderation_required=False)
    dialogue.refresh_from_db()
    assert dialogue.title.read(workshop.box()) == "Second try"
    assert dialogue.moderation_required is False
    version = actions.update_ground_rules(dialogue, ["Speak for yourself."], convener)
    assert version == 2
    dialogue.refresh_from_db()
    assert dialogue.ground_rules.read(workshop.box()) == ["Speak for yourself."]
    with pytest.raises(InvalidInput) as caught:
        actions.update_ground_rules(dialogue, ["ok", "   "], convener)
    assert caught.value.field == "ground_rules[1]"
    with pytest.raises(NotAllowed):
        actions.update_ground_rules(dialogue, None, make_user())


def test_it_adds_parties_but_not_twice(workshop: Workshop) -> None:
    party = initiative_actions.add_party(workshop.initiative, "Mountains", workshop.convener)
    assert party.position == 3
    with pytest.raises(InvalidInput):
        initiative_actions.add_party(workshop.initiative, "UPSTREAM", workshop.convener)


def test_it_keeps_initiatives_apart() -> None:
    first, second = make_workshop("One"), make_workshop("Two")
    assert first.box().initiative_id != second.box().initiative_id
    with pytest.raises(NotAllowed):
        initiative_actions.update_initiative(second.initiative, first.convener, title="Taken over")
    assert MemberRole.CONVENER == "convener"


@pytest.mark.parametrize("rules", ["One rule", {"a": 1}, 3])
def test_it_wants_ground_rules_as_a_list(workshop: Workshop, rules: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.update_ground_rules(workshop.dialogue, rules, workshop.convener)  # type: ignore[arg-type]
    assert caught.value.field == "ground_rules"
