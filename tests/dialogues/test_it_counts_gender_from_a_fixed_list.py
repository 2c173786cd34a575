"""Gender is a choice from a fixed list (with "prefer not to say" and self-described), so a
typo cannot split the delegation balance's counts."""

from __future__ import annotations

import pytest
from factories import Workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.queries import reading
from tracktwo.practice.validation import clean_gender

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "counted"),
    [
        ("female", "female"),
        (" Female ", "female"),
        ("WOMAN", "female"),
        ("m", "male"),
        ("non binary", "non-binary"),
        ("prefer-not-to-say", "prefer-not-to-say"),
        ("genderfluid", "self-described"),
        ("", ""),
    ],
)
def test_it_maps_what_is_typed_onto_the_list(typed: str, counted: str) -> None:
    assert clean_gender(typed) == counted


def test_it_keeps_one_count_per_choice(workshop: Workshop) -> None:
    for n, typed in enumerate(["female", "Female", "woman ", "male", "Prefer not to say"]):
        actions.join(workshop.invite(), f"person{n}", True, gender=typed)
    balance = reading.delegation_balance(workshop.dialogue)
    assert balance.by_gender == {"female": 3, "male": 1, "prefer-not-to-say": 1}
