"""A fictional sample initiative, so a fresh install opens on a populated dashboard.

Everything here is invented: the river Lirra, the Veldrin Uplands and the Oskaro
Lowlands, and every handle. The votes are simulated with a planted structure -- two
opinion groups that mostly, but not entirely, follow the sides, and statements both
groups and both sides agree with -- so the dashboard shows two groups, common ground
across them, and divisive and uncertain statements. Local use only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Membership

DEMO_USERNAME = "demo-facilitator"
TITLE = "Sharing the Lirra"
PARTIES = ("Veldrin Uplands", "Oskaro Lowlands")
DIALOGUE_TITLE = "Sharing the Lirra: first workshop"
PER_SIDE = 18
SEED = 20240611

HANDLES = (
    "Alder", "Birch", "Cedar", "Dunlin", "Egret", "Fern", "Gannet", "Hazel", "Ibis",
    "Juniper", "Kestrel", "Linden", "Merlin", "Nettle", "Osprey", "Plover", "Quill",
    "Rowan", "Sedge", "Tern", "Umber", "Vetch", "Willow", "Yarrow", "Zinnia", "Avocet",
    "Bracken", "Curlew", "Dogwood", "Eider", "Finch", "Gorse", "Heron", "Iris", "Jay", "Kite",
)  # fmt: skip

# (text, leaning): "up" the uplands' group agrees, "low" the lowlands' group agrees,
# "both" both groups agree, "split" no pattern, "unsure" mostly passes.
STATEMENTS = (
    ("Upland farms need a guaranteed share of the spring melt for irrigation.", "up"),
    ("The upland reservoir is essential for our towns' drinking water.", "up"),
    ("Lowland demands should not hold back development in the uplands.", "up"),
    ("Upland villages have long-standing rights to the headwaters.", "up"),
    ("The delta fisheries collapse when summer flows fall below a minimum.", "low"),
    ("The upland dam was built without asking the people downstream.", "low"),
    ("Any new dam on the Lirra must be approved by both communities.", "low"),
    ("Lowland farmers deserve compensation for the dry years.", "low"),
    ("A joint monitoring station would let both sides trust the same flow figures.", "both"),
    ("In a drought, drinking water for people comes before irrigation on both banks.", "both"),
    ("Students from both communities should study the river together.", "both"),
    ("We want our grandchildren to be able to fish in the Lirra.", "both"),
    ("River flow data should be published openly every week.", "both"),
    ("Water should be priced by volume for every user.", "unsure"),
    ("An outside panel should allocate the water in dry years.", "split"),
    ("The old water agreement should be renegotiated from scratch.", "split"),
)
PARTICIPANT_STATEMENTS = (
    ("A shared emergency fund for flood and drought years would help everyone.", "both"),
    ("The uplands should release more water in late summer.", "low"),
)
PENDING_STATEMENT = "My cousin at the pumping station says the gauges are wrong."


@dataclass(frozen=True)
class Demo:
    user: User
    dialogue: Dialogue
    created: bool


def find_demo() -> Demo | None:
    """The demo, if it was loaded before."""
    user = User.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        return None
    membership = (
        Membership.objects.filter(user=user, role="convener").order_by("initiative_id").first()
    )
    dialogue = (
        Dialogue.objects.filter(initiative_id=membership.initiative_id).order_by("id").first()
        if membership
        else None
    )
    return Demo(user, dialogue, False) if dialogue is not None else None


def _vote(rng: random.Random, leaning: str, in_upland_group: bool) -> int | None:
    """A simulated vote, or None when this participant skips the statement."""
    if rng.random() < 0.12:
        return None
    if leaning == "unsure":
        return 0 if rng.random() < 0.6 else rng.choice((1, -1))
    if leaning == "split":
        return rng.choice((1, -1, -1, 1, 0))
    agree = 0.93 if leaning == "both" else (0.85 if (leaning == "up") == in_upland_group else 0.1)
    draw = rng.random()
    if draw < agree:
        return 1
    return 0 if draw < agree + 0.05 else -1


CONSTRAINTS_PHASE = 2  # needs and fears, joint thinking, constraints, ...


@transaction.atomic
def load_demo(password: str) -> Demo:
    """Create the demo facilitator (with ``password``), initiative, workshop and votes."""
    rng = random.Random(SEED)
    user = accounts.create_account(DEMO_USERNAME, password=password, convener=True)
    initiative = initiative_actions.create_initiative(
        user,
        TITLE,
        list(PARTIES),
        description="A fictional dispute over the river Lirra, for trying tracktwo out.",
        convening_organisation="Demo Dialogue Centre (fictional)",
    )
    dialogue = actions.create_dialogue(
        initiative, DIALOGUE_TITLE, "problem-solving-workshop", "chatham-house", user
    )
    session = actions.start_session(dialogue, user)
    # the constraints phase: critique is open, so the simulated votes may disagree
    actions.set_phase(session, CONSTRAINTS_PHASE, user)
    seeds = [
        (actions.write_statement(dialogue, text, user=user), leaning)
        for text, leaning in STATEMENTS
    ]
    parties = list(initiative.parties.order_by("position"))
    people = []
    for i, handle in enumerate(HANDLES[: 2 * PER_SIDE]):
        side = i % 2
        _, token = actions.create_invitation(
            dialogue, party=parties[side], by=user, track=1 + rng.randrange(9)
        )
        joined = actions.join(token, handle, True, gender=rng.choice(("woman", "man", "")))
        # Two in nine cross over: the opinion groups do not simply copy the sides.
        in_upland_group = (side == 0) != (rng.random() < 2 / 9)
        people.append((joined.participant, in_upland_group))
    for (text, leaning), (author, _group) in zip(PARTICIPANT_STATEMENTS, people, strict=False):
        statement = actions.write_statement(dialogue, text, participant=author)
        actions.moderate_statement(statement, "accepted", user)
        seeds.append((statement, leaning))
    actions.write_statement(dialogue, PENDING_STATEMENT, participant=people[-1][0])
    for participant, in_upland_group in people:
        for statement, leaning in rng.sample(seeds, len(seeds)):
            value = _vote(rng, leaning, in_upland_group)
            if value is not None:
                actions.cast_vote(participant, statement.pk, value)
    return Demo(user, dialogue, True)
