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

import itertools
from dataclasses import dataclass, field

from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Session, Statement
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative, Party

NATO = [
    "ALPHA",
    "BRAVO",
    "CHARLIE",
    "DELTA",
    "ECHO",
    "FOXTROT",
    "GOLF",
    "HOTEL",
    "INDIA",
    "JULIETT",
    "KILO",
    "LIMA",
    "MIKE",
    "NOVEMBER",
    "OSCAR",
    "PAPA",
]
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
_users = itertools.count(1)


def make_user(prefix: str) -> User:
    return User.objects.create_user(f"{prefix}{next(_users)}", password=None)


@dataclass
class Scenario:
    convener: User
    facilitator: User
    observer: User
    liaisons: list[User]
    initiative: Initiative
    dialogue: Dialogue
    parties: list[Party]
    session: Session
    participants: list[Participant] = field(default_factory=list)
    statements: dict[str, Statement] = field(default_factory=dict)


def _tracks(side: int, per_side: int) -> list[int]:
    if side == 0:
        return [1] * 2 + [2] * (per_side - 2)
    return [4] * 3 + [2] * (per_side - 3)


def make_scenario(
    *, per_side: int = 8, confidentiality: str = "chatham-house", threshold: int = 5
) -> Scenario:
    convener = make_user("convener")
    initiative = initiative_actions.create_initiative(
        convener, "Water and the valley", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative,
        "Water and the valley: first workshop",
        "problem-solving-workshop",
        confidentiality,
        convener,
        moderation_required=True,
    )
    if threshold != 5:
        dialogue.small_cell_threshold = threshold
        dialogue.save(update_fields=["small_cell_threshold"])
    facilitator, observer = make_user("facilitator"), make_user("observer")
    liaisons = [make_user("liaison"), make_user("liaison")]
    initiative_actions.add_member(
        initiative, facilitator, "facilitator", convener, dialogue=dialogue
    )
    initiative_actions.add_member(initiative, observer, "observer", convener, dialogue=dialogue)
    for liaison in liaisons:
        initiative_actions.add_member(initiative, liaison, "liaison", convener)
    parties = list(initiative.parties.order_by("position"))
    session = actions.start_session(dialogue, facilitator)
    scenario = Scenario(
        convener, facilitator, observer, liaisons, initiative, dialogue, parties, session
    )
    handles = iter(CANARY_HANDLES)
    names = iter(CANARY_NAMES)
    for side in (0, 1):
        for track in _tracks(side, per_side):
            identity = None
            name = next(names, None)
            if name is not None:
                identity = {"real_name": name, "contact": "", "notes": ""}
            _, token = actions.create_invitation(
                dialogue, party=parties[side], by=convener, track=track, identity=identity
            )
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
