import pytest
from django.db import transaction
from factories import Workshop, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Statement
from tracktwo.insight.engine_input import dialogue_statements
from tracktwo.safety.crypto import DecryptionError
from tracktwo.safety.datakeys import DataKeyUnavailable, box_for, box_for_sealing
from tracktwo.safety.sealed import SEALED_ATTRIBUTES

pytestmark = pytest.mark.django_db


def test_it_binds_each_value_to_its_attribute_and_initiative(workshop: Workshop) -> None:
    statement = actions.write_statement(workshop.dialogue, "Shared text", user=workshop.convener)
    box = workshop.box()
    sealed = bytes(statement.text_sealed)
    assert box.open_text(sealed, "dialogues.Statement.text") == "Shared text"
    with pytest.raises(DecryptionError):
        box.open_text(sealed, "dialogues.Session.notes")
    other = make_workshop("Other")
    with pytest.raises(DecryptionError):
        other.box().open_text(sealed, "dialogues.Statement.text")


def test_it_refuses_to_seal_with_a_reading_box_or_another_initiatives_key(
    workshop: Workshop,
) -> None:
    statement = actions.write_statement(workshop.dialogue, "Text", user=workshop.convener)
    with pytest.raises(RuntimeError, match="for reading"):
        statement.text.write(workshop.box(), "Changed")
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        box_for_sealing(workshop.initiative.pk)
    other = make_workshop("Other")
    with transaction.atomic():
        foreign = box_for_sealing(other.initiative.pk)
        with pytest.raises(RuntimeError, match="cannot be sealed with the key"):
            statement.text.write(foreign, "Changed")
    statement.refresh_from_db()
    assert statement.text.read(workshop.box()) == "Text"


def test_it_says_when_an_initiative_has_no_key() -> None:
    with pytest.raises(DataKeyUnavailable, match="no data key"):
        box_for(123456)


def test_it_registers_every_sealed_attribute() -> None:
    where = {spec.where for spec in SEALED_ATTRIBUTES}
    assert {
        "dialogues.Initiative.title",
        "dialogues.Initiative.sponsors",
        "dialogues.Party.name",
        "dialogues.Dialogue.ground_rules",
        "dialogues.Session.notes",
        "dialogues.Participant.handle",
        "dialogues.Participant.profile",
        "dialogues.ParticipantIdentity.record",
        "dialogues.Invitation.terms",
        "dialogues.Statement.text",
        "dialogues.Notice.body",
        "dialogues.BackChannelMessage.body",
    } <= where


def test_it_decrypts_a_large_dialogue_for_the_dashboard(workshop: Workshop) -> None:
    box_texts = [f"Statement number {i}" for i in range(2000)]
    with transaction.atomic():
        box = box_for_sealing(workshop.initiative.pk)
        rows = []
        for text in box_texts:
            statement = Statement(dialogue=workshop.dialogue, moderation="accepted")
            statement.text.write(box, text)
            rows.append(statement)
        Statement.objects.bulk_create(rows)
    statements = dialogue_statements(workshop.dialogue)
    assert list(statements.texts) == box_texts
