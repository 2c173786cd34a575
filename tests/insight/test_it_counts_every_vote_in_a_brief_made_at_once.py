"""A brief requested right after the votes covers every one of them, and says so, even
when the live analysis it would have read was behind (the statement every side agreed
with, voted on last, is in it)."""

from __future__ import annotations

import re

import pytest
from insight_support import SHARED, Room, cast, planted_votes

from tracktwo.dialogues.models import Vote
from tracktwo.insight import service
from tracktwo.transfer import actions

pytestmark = pytest.mark.django_db


def brief(room: Room, session: object = None) -> str:
    rendered = actions.render_draft(room.dialogue, session, "md", room.facilitator)  # type: ignore[arg-type]
    return rendered.body.decode()


def as_of(text: str) -> int:
    found = re.search(r"as of (\d+) votes", text)
    assert found is not None, "the brief does not say as of how many votes"
    return int(found.group(1))


def test_it_counts_every_vote_cast_before_the_brief(room: Room, served: None) -> None:
    votes = planted_votes(room)
    cast(votes[:91])
    assert service.dialogue_analysis(room.dialogue)["votes_counted"] == 91  # cached, behind
    cast(votes[91:])
    text = brief(room)
    assert as_of(text) == Vote.objects.filter(dialogue=room.dialogue).count() == len(votes)
    common = text.split("## Common ground across sides", 1)[1].split("## Shared", 1)[0]
    assert SHARED in common


def test_it_counts_every_vote_of_a_brief_without_a_cached_analysis(room: Room) -> None:
    votes = planted_votes(room)
    cast(votes)
    again = votes[0]
    cast([again])  # a re-vote is a vote row too; the last one counts
    text = brief(room)
    assert as_of(text) == Vote.objects.filter(dialogue=room.dialogue).count() == len(votes) + 1


def test_it_says_as_of_no_votes_before_the_first(room: Room) -> None:
    assert as_of(brief(room)) == 0
