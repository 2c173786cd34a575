"""A room for the insight tests: two sides, a dialogue, its facilitator, participants and
statements, made through the production actions (no other test's helpers)."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Statement
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative

_names = itertools.count(1)
SIDES = ("Upstream", "Downstream")
SHARED = "Both banks should share the flood warnings at once."


@dataclass
class Room:
    """A dialogue with ``per_side`` participants on each of two sides."""

    facilitator: User
    token: str  # the facilitator's API token
    initiative: Initiative
    dialogue: Dialogue
    participants: list[Participant] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)

    def side(self, person: Participant) -> int:
        return self.participants.index(person) * 2 // len(self.participants)


def make_room(per_side: int = 15, n_statements: int = 6) -> Room:
    facilitator = accounts.create_account(
        f"facilitator{next(_names)}", password=None, convener=True
    )
    _, token = accounts.issue_token(facilitator, "tests")
    initiative = initiative_actions.create_initiative(facilitator, "The river", list(SIDES))
    dialogue = actions.create_dialogue(
        initiative,
        "The river: a workshop",
        "problem-solving-workshop",
        "chatham-house",
        facilitator,
    )
    room = Room(facilitator, token, initiative, dialogue)
    parties = list(initiative.parties.order_by("position"))
    for side, party in enumerate(parties):
        for i in range(per_side):
            _, invitation = actions.create_invitation(dialogue, party=party, by=facilitator)
            joined = actions.join(invitation, f"voter-{side}-{i}-{next(_names)}", True)
            room.participants.append(joined.participant)
    for i in range(n_statements - 1):
        text = f"The upstream dams should follow rule {i}."
        room.statements.append(actions.write_statement(dialogue, text, user=facilitator))
    room.statements.append(actions.write_statement(dialogue, SHARED, user=facilitator))
    return room


def planted_votes(room: Room, seed: int = 3) -> list[tuple[Participant, int, int]]:
    """Every participant on every statement: the sides split on all but the last, which
    everyone agrees with; a few passes. The shared statement's votes come last."""
    rng = random.Random(seed)
    split: list[tuple[Participant, int, int]] = []
    shared: list[tuple[Participant, int, int]] = []
    *divisive, last = room.statements
    for person in room.participants:
        side = room.side(person)
        for statement in divisive:
            value = 1 if side == 0 else -1
            split.append((person, statement.pk, 0 if rng.random() < 0.05 else value))
        shared.append((person, last.pk, 1))
    rng.shuffle(split)
    return split + shared


def cast(votes: list[tuple[Participant, int, int]]) -> None:
    for person, statement, value in votes:
        actions.cast_vote(person, statement, value)


def revote_rounds(
    room: Room, rounds: int, seed: int = 11
) -> list[list[tuple[Participant, int, int]]]:
    """The planted votes, then ``rounds`` rounds in which every participant re-votes on
    about half of their cells with a new random value (no new cell after the first)."""
    rng = random.Random(seed)
    first = planted_votes(room, seed)
    batches = [first]
    cells = [(person, statement) for person, statement, _value in first]
    for _ in range(rounds):
        chosen = [cell for cell in cells if rng.random() < 0.5]
        rng.shuffle(chosen)
        batches.append([(person, sid, rng.choice((-1, 0, 1))) for person, sid in chosen])
    return batches
