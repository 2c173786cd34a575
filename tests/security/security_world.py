"""A realistic world for the security tests: two initiatives, dialogues, people in every role.

Initiative A ("the valley", parties Upstream and Downstream) has dialogue D1, where the
roles under test live, and dialogue D2 with a participant of its own. Initiative B has
its own convener, dialogue and facilitator. Every participant's handle, recorded real
name and statement text is a canary (``CANARY-<WORD>-HANDLE``, ``CANARY-<WORD>-REALNAME``,
``CANARY-<WORD>-TEXT``) so that any output naming or attributing them can be caught.

D1 has nine Upstream participants and three Downstream ones, so every per-party count of
Downstream is below the small-cell threshold (5) and must be withheld from participants.
Its results are shared with participants; an issued brief has been sent to the liaison
(who opened it), a second draft brief waits for a session; the transfer log and the
Track One events have one entry each.

Roles (the keys of :attr:`World.people`): ``anonymous``, ``participant`` (of D1),
``participant_observer`` (joined D1 with an observer invitation), ``observer`` (an
account observing D1), ``facilitator`` (of D1), ``convener`` (of A), ``liaison`` (of A, who
received and opened a copy of the issued brief), ``other_liaison`` (of A, who received
nothing), ``other_participant`` (of D2), ``other_facilitator`` (of B's dialogue) and
``withdrawn`` (joined D1, voted, then withdrew: their token and session must be dead).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.test import Client
from factories import (
    CONVENER,
    FACILITATOR,
    LIAISON,
    NATO,
    OBSERVER,
    OTHER_LIAISON,
    Workshop,
    assess_tool,
    make_workshop,
)

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY, Caller
from tracktwo.accounts.models import User
from tracktwo.backchannel import actions as back_channel
from tracktwo.dialogues import actions
from tracktwo.dialogues.actions.translations import translate_statement
from tracktwo.dialogues.models import Dialogue, Participant, Statement
from tracktwo.dialogues.views import common as dialogue_views
from tracktwo.initiatives.models import Initiative, Membership, Party
from tracktwo.safety import datakeys
from tracktwo.transfer import actions as transfer
from tracktwo.transfer import log
from tracktwo.workers import actions as jobs
from tracktwo.workers.models import Job

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"
PARTICIPANT_OBSERVER = "participant_observer"
# OBSERVER, FACILITATOR, CONVENER, LIAISON and OTHER_LIAISON are the personas of factories.py
OTHER_PARTICIPANT = "other_participant"
OTHER_FACILITATOR = "other_facilitator"
WITHDRAWN = "withdrawn"
ROLES = (
    ANONYMOUS,
    PARTICIPANT,
    PARTICIPANT_OBSERVER,
    OBSERVER,
    FACILITATOR,
    CONVENER,
    LIAISON,
    OTHER_LIAISON,
    OTHER_PARTICIPANT,
    OTHER_FACILITATOR,
    WITHDRAWN,
)
PARTICIPANT_ROLES = frozenset({PARTICIPANT, PARTICIPANT_OBSERVER, OTHER_PARTICIPANT})

WORDS = NATO[:15]  # the canary words of the world's participants
UPSTREAM = 9  # D1 participants of the first party (the participant under test is the first)
DOWNSTREAM = 3  # ... and of the second: below the small-cell threshold everywhere
SEEDS = (
    "Both communities need safe and reliable access to clean water.",
    "Violence is an acceptable way to settle the water dispute.",
    "The upstream reservoir should be filled before any water is released downstream.",
    "An international commission should run the dam.",
    "Farmers should be compensated for lost harvests.",
)
DIALOGUE_TITLE = "Valley workshop"  # D1
FOLLOW_UP_TITLE = "Valley follow-up"  # D2
SECRET_TITLE = "CANARY-SECRET-TITLE meeting"
IP = "203.0.113.77"  # every request of the tests comes from this address


def handle(word: str) -> str:
    return f"CANARY-{word}-HANDLE"


def real_name(word: str) -> str:
    return f"CANARY-{word}-REALNAME"


def statement_text(word: str) -> str:
    return f"We should share the river fairly, says CANARY-{word}-TEXT."


@dataclass
class Person:
    """One role: the web client (signed in or joined) and the bearer token for the API."""

    role: str
    client: Client
    token: str | None = None
    user: User | None = None
    participant: Participant | None = None
    handle: str | None = None


@dataclass
class World:
    initiative: Initiative
    other_initiative: Initiative
    dialogue: Dialogue
    other_dialogue: Dialogue
    parties: list[Party]
    people: dict[str, Person] = field(default_factory=dict)
    participants: list[Participant] = field(default_factory=list)
    authors: dict[int, Participant] = field(default_factory=dict)  # statement id -> author
    values: dict[str, Any] = field(default_factory=dict)  # path parameters and body values
    secrets: list[str] = field(default_factory=list)  # tokens and codes never to be logged

    def handles(self) -> dict[int, str]:
        """Participant id -> canary handle, for every participant of the world."""
        return {p.pk: h for p, h in self.values["handles"]}


def _account(world: World, role: str, user: User) -> None:
    _, token = accounts.issue_token(user, "security tests")
    client = Client(REMOTE_ADDR=IP)
    client.force_login(user)
    world.people[role] = Person(role, client, token, user=user)
    world.secrets.append(token)


def _person(world: World, role: str, joined: actions.Joined, handle_: str) -> None:
    client = Client(REMOTE_ADDR=IP)
    session = client.session
    session[PARTICIPANT_SESSION_KEY] = joined.participant.pk
    # the pages may tie the session to the participant's current token, as joining does
    token_key = getattr(dialogue_views, "PARTICIPANT_TOKEN_SESSION_KEY", None)
    if token_key is not None:
        session[token_key] = joined.participant.token_digest
    session.save()
    world.people[role] = Person(
        role, client, joined.token, participant=joined.participant, handle=handle_
    )


def _joined(
    world: World,
    who: str,
    valley: Workshop,
    handles: list[tuple[Participant, str]],
    word: str,
    party: int = 0,
    dialogue: Dialogue | None = None,
    **invitation: object,
) -> actions.Joined:
    """A participant who joins as the role ``who`` under ``word``'s canary handle."""
    token = valley.invite(party, dialogue, **invitation)
    joined = actions.join(token, handle(word), True)
    handles.append((joined.participant, handle(word)))
    world.secrets += [token, joined.token, joined.recovery_code]
    _person(world, who, joined, handle(word))
    return joined


@dataclass
class ModuleWorld:
    """A world made once for a module's tests (the ``module_world`` fixture of
    conftest.py), and the master key its data keys are sealed with."""

    world: World
    key: Path


def make_world() -> World:
    datakeys.site_key("security tests")  # the site secret exists, as on any running site
    valley = make_workshop(dialogue_title=DIALOGUE_TITLE)
    initiative, parties, dialogue = valley.initiative, valley.parties, valley.dialogue
    convener = valley.convener
    other_dialogue = actions.create_dialogue(
        initiative, FOLLOW_UP_TITLE, "citizen-exchange", "off-the-record", convener
    )
    # a secret meeting: even its title is for its members only (here: the convener)
    actions.create_dialogue(initiative, SECRET_TITLE, "track-one-and-a-half", "secret", convener)
    mountain = make_workshop(
        "The mountain pass",
        ("North", "South"),
        dialogue_title="Pass workshop",
        format="living-room",
    )
    other_initiative, far_dialogue = mountain.initiative, mountain.dialogue
    other_convener = mountain.convener
    world = World(initiative, other_initiative, dialogue, other_dialogue, parties)
    world.people[ANONYMOUS] = Person(ANONYMOUS, Client(REMOTE_ADDR=IP))

    valley.cast(FACILITATOR, OBSERVER, LIAISON, OTHER_LIAISON)
    mountain.cast(FACILITATOR)
    facilitator, observer, liaison = valley.facilitator, valley.observer, valley.liaison
    other_facilitator = mountain.facilitator
    for role in (CONVENER, FACILITATOR, OBSERVER, LIAISON, OTHER_LIAISON):
        _account(world, role, valley.people[role])
    _account(world, OTHER_FACILITATOR, other_facilitator)
    session = actions.start_session(dialogue, facilitator)
    # The constraints phase: the brainstorm before it takes no disagree votes (issue 13).
    session = actions.set_phase(session, 2, facilitator)

    # participants of D1: canary handles, identities, a statement each for the first six
    words = iter(WORDS)
    handles: list[tuple[Participant, str]] = []
    for index in range(UPSTREAM + DOWNSTREAM):
        word = next(words)
        side = 0 if index < UPSTREAM else 1
        _, token = actions.create_invitation(
            dialogue,
            party=parties[side],
            by=convener,
            track=2 if index % 2 else 4,
            identity={"real_name": real_name(word), "contact": "", "notes": ""},
        )
        joined = actions.join(token, handle(word), True, gender="female" if index % 3 else "male")
        world.participants.append(joined.participant)
        handles.append((joined.participant, handle(word)))
        world.secrets += [token, joined.token, joined.recovery_code]
        if index == 0:
            _person(world, PARTICIPANT, joined, handle(word))
            world.values["recovery_code"] = joined.recovery_code
    statements: list[Statement] = [
        actions.write_statement(dialogue, text, user=facilitator) for text in SEEDS
    ]
    for participant, (_p, handle_) in zip(world.participants[:6], handles[:6], strict=True):
        word = handle_.split("-")[1]
        written = actions.write_statement(dialogue, statement_text(word), participant=participant)
        world.authors[written.pk] = participant
        if participant is not world.participants[5]:
            actions.moderate_statement(written, "accepted", facilitator)
            statements.append(written)
        else:
            world.values["pending"] = written.pk  # awaits moderation
    for i, participant in enumerate(world.participants):
        side = 0 if i < UPSTREAM else 1
        for j, statement in enumerate(statements):
            value = (1, -1, 0)[(i + j) % 3] if j != 2 else (1 if side == 0 else -1)
            actions.cast_vote(participant, statement.pk, value)

    # a machine translation of the first seed, waiting for review
    machine = translate_statement(statements[0], "ar", "الماء مشترك", facilitator, machine=True)
    world.values["translation"] = machine.pk

    # an observing participant of D1, a participant of D2, one who withdraws from D1
    _joined(world, PARTICIPANT_OBSERVER, valley, handles, next(words), role="observer")
    _joined(world, OTHER_PARTICIPANT, valley, handles, next(words), 1, other_dialogue)
    word = next(words)
    joined = _joined(world, WITHDRAWN, valley, handles, word)
    actions.cast_vote(joined.participant, statements[0].pk, 1)
    actions.withdraw(joined.participant)
    world.values["withdrawn_handle"] = handle(word)
    world.values["withdrawn_code"] = joined.recovery_code
    actions.share_results(dialogue, True, facilitator)

    # an open invitation (for the join routes), briefs, the transfer log
    open_invitation, invitation = actions.create_invitation(dialogue, party=parties[0], by=convener)
    world.secrets.append(invitation)
    assess_tool(dialogue, convener)  # every tool of D1 assessed and on
    issued = transfer.draft_for(dialogue, None, facilitator)
    copies = transfer.issue(issued, facilitator, [(liaison, "Ministry desk")])
    link = copies[0].link_token
    transfer.open_link(link, liaison)
    world.secrets.append(link)
    draft = transfer.draft_for(dialogue, session, facilitator)
    entry = log.log_transfer(
        initiative,
        convener,
        conveyed_on=date(2026, 3, 1),
        channel="memo",
        conveyor_kind="convener",
        conveyed_by="The conveners",
        idea="Joint monitoring of the river",
        body="Ministry of Water",
    )
    event = log.add_track_one_event(
        initiative,
        convener,
        happened_on=date(2026, 3, 15),
        body="Ministry of Water",
        description="The ministries agreed to meet on water.",
    )
    participant = world.people[PARTICIPANT].participant
    assert participant is not None
    own = next(s for s, author in world.authors.items() if author.pk == participant.pk)
    others = next(s for s, author in world.authors.items() if author.pk != participant.pk)
    # objects elsewhere, for requests that name them in a body or query
    foreign = actions.write_statement(other_dialogue, "The follow-up statement.", user=convener)
    far = actions.write_statement(far_dialogue, "The mountain statement.", user=other_convener)
    far_brief = transfer.draft_for(far_dialogue, None, other_convener)
    foreign_invitation, raw = actions.create_invitation(
        other_dialogue, party=parties[0], by=convener
    )
    far_parties = list(other_initiative.parties.order_by("position"))
    far_invitation, far_raw = actions.create_invitation(
        far_dialogue, party=far_parties[0], by=other_convener
    )
    world.secrets += [raw, far_raw]
    # a file the facilitator asked for, prepared (as a worker does) for them alone
    job = Job.objects.create(
        key=secrets.token_hex(16),
        kind="brief",
        dialogue=dialogue,
        requested_by=facilitator,
        options={"format": "md", "session": None, "language": None, "ui_language": "en"},
    )
    assert jobs.prepare(job.key) == "done"
    world.values.update(
        {
            "job": job.key,
            "handles": handles,
            "dialogue": dialogue.pk,
            "initiative": initiative.pk,
            "party": parties[0].pk,
            "statement": statements[0].pk,
            "own_statement": own,
            "session": session.number,
            "invitation": invitation,
            "open_invitation": open_invitation.pk,
            "observer_membership": Membership.objects.get(user=observer).pk,
            "far_membership": Membership.objects.get(user=other_facilitator).pk,
            "foreign_invitation": foreign_invitation.pk,
            "far_invitation": far_invitation.pk,
            "brief": issued.pk,
            "draft": draft.pk,
            "copy": copies[0].recipient.pk,
            "link": link,
            "entry": entry.pk,
            "event": event.pk,
            "participant_handle": handle(WORDS[0]),
            "liaison_user": liaison.pk,
            "others_statement": others,
            "foreign_statement": foreign.pk,
            "far_statement": far.pk,
            "far_party": other_initiative.parties.order_by("position")[0].pk,
            "far_initiative": other_initiative.pk,
            "far_brief": far_brief.pk,
        }
    )
    _back_channel(world, participant, facilitator)
    return world


def _back_channel(world: World, participant: Participant, facilitator: User) -> None:
    """Three messages from the participant's side (Upstream) to Downstream: one waiting for
    the facilitators, one with a proposed rewording waiting for the participant, one
    carried."""
    side = Caller(kind="participant", participant=participant)
    down = world.parties[1].pk
    awaiting = back_channel.draft_message(world.initiative, side, down, "CANARY-BC-TEXT one.")
    proposed = back_channel.draft_message(world.initiative, side, down, "CANARY-BC-TEXT two.")
    carried = back_channel.draft_message(world.initiative, side, down, "CANARY-BC-TEXT three.")
    back_channel.propose(proposed, Caller(kind="user", user=facilitator), "Reworded two.")
    back_channel.carry(carried, Caller(kind="user", user=facilitator))
    world.values.update(
        {
            "bc_awaiting": awaiting.pk,
            "bc_proposed": proposed.pk,
            "bc_carried": carried.pk,
            "party_down": down,
        }
    )
    _exchange(world)


def _exchange(world: World) -> None:
    """A Track 1.5 exchange in which the initiative's liaison speaks for Upstream."""
    from tracktwo.backchannel import exchanges
    from tracktwo.practice.formats import MemberRole

    convener = Membership.objects.get(initiative=world.initiative, role=MemberRole.CONVENER).user
    exchange = exchanges.open_exchange(world.initiative, convener, "CANARY-EXCHANGE")
    exchanges.give_voice(exchange, convener, world.values["liaison_user"], world.parties[0].pk)
    world.values["exchange"] = exchange.pk
    from tracktwo.evaluation import theory

    indicator = theory.add_indicator(world.initiative, convener, {"name": "Trust"})
    theory.add_entry(indicator, convener, {"value": "2", "on": "2026-10-01"})
    world.values["indicator"] = indicator.pk
