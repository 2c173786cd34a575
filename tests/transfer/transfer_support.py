"""A small fictional dialogue with canary handles and planted common ground, for the transfer tests.

Two sides ("Upstream", "Downstream") of eight participants each. Every handle and
recorded real name is a canary (``CANARY-HANDLE-...``, ``CANARY-NAME-...``) that must
never appear in a brief. Planted votes:

- COMMON: every participant agrees (common ground);
- ECHO: a participant's statement that quotes a canary handle; every participant agrees;
- REJECT: every participant disagrees (shared rejection);
- DIVIDE: Upstream agrees, Downstream disagrees (a divide);
- three more statements with mixed votes.

Tracks: Upstream 6 x track 2 and 2 x track 1; Downstream 5 x track 2 and 3 x track 4, so
the table has small cells (2 and 3) that must be suppressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factories import (
    FACILITATOR,
    LIAISON,
    NATO,
    OBSERVER,
    OTHER_LIAISON,
    Workshop,
    assess_tool,
    make_workshop,
)

from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Participant, Session, Statement

CANARY_HANDLES = tuple(f"CANARY-HANDLE-{word}" for word in NATO)
CANARY_NAMES = tuple(f"CANARY-NAME-{word}" for word in NATO[:4])
COMMON = "Both communities need safe and reliable access to clean water."
ECHO = f"As {CANARY_HANDLES[0]} put it, joint monitoring of the river builds trust."
REJECT = "Violence is an acceptable way to settle the water dispute."
DIVIDE = "The upstream reservoir should be filled before any water is released downstream."
MIXED = (
    "An international commission should run the dam.",
    "Farmers should be compensated for lost harvests.",
    "The border crossing should open for traders on market days.",
)


@dataclass
class Scenario(Workshop):
    """The workshop with its facilitator, observer, two liaisons, a session, votes planted."""

    session: Session = field(kw_only=True)
    participants: list[Participant] = field(default_factory=list)
    statements: dict[str, Statement] = field(default_factory=dict)

    @property
    def liaisons(self) -> list[User]:
        return [self.people[LIAISON], self.people[OTHER_LIAISON]]


def _tracks(side: int, per_side: int) -> list[int]:
    if side == 0:
        return [1] * 2 + [2] * (per_side - 2)
    return [4] * 3 + [2] * (per_side - 3)


def make_scenario(
    *, per_side: int = 8, confidentiality: str = "chatham-house", threshold: int = 5
) -> Scenario:
    workshop = make_workshop(confidentiality=confidentiality)
    dialogue = workshop.dialogue
    if threshold != 5:
        dialogue.small_cell_threshold = threshold
        dialogue.save(update_fields=["small_cell_threshold"])
    workshop.cast(FACILITATOR, OBSERVER, LIAISON, OTHER_LIAISON)
    assess_tool(dialogue, workshop.convener)  # the do-no-harm check before any tool
    facilitator = workshop.facilitator
    session = actions.start_session(dialogue, facilitator)
    # The constraints phase: the brainstorm before it takes no disagree votes (issue 13).
    session = actions.set_phase(session, 2, facilitator)
    scenario = Scenario(
        workshop.initiative, workshop.parties, dialogue, workshop.people, session=session
    )
    handles = iter(CANARY_HANDLES)
    names = iter(CANARY_NAMES)
    for side in (0, 1):
        for track in _tracks(side, per_side):
            identity = None
            name = next(names, None)
            if name is not None:
                identity = {"real_name": name, "contact": "", "notes": ""}
            token = scenario.invite(side, track=track, identity=identity)
            joined = actions.join(token, next(handles), True)
            scenario.participants.append(joined.participant)
    seeds = {"COMMON": COMMON, "REJECT": REJECT, "DIVIDE": DIVIDE}
    seeds |= {f"MIXED{i}": text for i, text in enumerate(MIXED)}
    for key, text in seeds.items():
        scenario.statements[key] = actions.write_statement(dialogue, text, user=facilitator)
    echo = actions.write_statement(dialogue, ECHO, participant=scenario.participants[0])
    actions.moderate_statement(echo, "accepted", facilitator)
    scenario.statements["ECHO"] = echo
    for i, person in enumerate(scenario.participants):
        side = 0 if i < per_side else 1
        votes = {
            "COMMON": 1,
            "ECHO": 1,
            "REJECT": -1,
            "DIVIDE": 1 if side == 0 else -1,
            "MIXED0": (1, -1, 0)[i % 3],
            "MIXED1": (1, 1, -1, 0)[i % 4],
            "MIXED2": (-1, 1)[i % 2],
        }
        for key, value in votes.items():
            actions.cast_vote(person, scenario.statements[key].pk, value)
    return scenario
