"""Statements and names refuse text that shows nothing and direction controls left open
(which would flip the text after them on a page or in a brief), with a clear message."""

from __future__ import annotations

import pytest
from factories import Workshop, make_user

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Statement
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.validation import balanced_direction_controls, clean_text

pytestmark = pytest.mark.django_db

INVISIBLE = ["\u200b", "\u200b\u200c\u2060", "\u3164", " \u00a0\u200d "]
UNBALANCED = ["\u202eevil", "a\u202bb", "\u2067open isolate", "\u2069close first\u2066"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_it_refuses_invisible_only_statements(workshop: Workshop, text: str) -> None:
    with pytest.raises(InvalidInput, match="only invisible characters") as refused:
        actions.write_statement(workshop.dialogue, text, user=workshop.convener)
    assert refused.value.field == "text"
    assert not Statement.objects.exists()


@pytest.mark.parametrize("text", UNBALANCED)
def test_it_refuses_unbalanced_direction_controls(workshop: Workshop, text: str) -> None:
    with pytest.raises(InvalidInput, match=r"text-direction control .* not closed"):
        actions.write_statement(workshop.dialogue, text, user=workshop.convener)
    assert not Statement.objects.exists()


def test_it_keeps_balanced_mixed_direction_text(workshop: Workshop) -> None:
    text = "Water \u2067\u0645\u0627\u0621\u2069 for all, and \u202bRTL\u202c too."
    statement = actions.write_statement(workshop.dialogue, text, user=workshop.convener)
    assert statement.pk is not None
    assert (
        clean_text("\u0645\u0627\u0621 (water)", "t", max_chars=50) == "\u0645\u0627\u0621 (water)"
    )


def test_it_checks_each_line_on_its_own() -> None:
    assert balanced_direction_controls("a\u2067b\u2069\nc")
    assert not balanced_direction_controls("a\u2067b\nc\u2069")


def test_it_refuses_such_names_of_parties_and_initiatives() -> None:
    convener = make_user(convener=True)
    with pytest.raises(InvalidInput, match="only invisible") as refused:
        initiative_actions.create_initiative(convener, "Valley", ["Up", "\u200b"])
    assert refused.value.field == "parties[1]"
    with pytest.raises(InvalidInput, match="not closed") as refused:
        initiative_actions.create_initiative(convener, "\u202eValley", ["Up", "Down"])
    assert refused.value.field == "title"
