"""Helpers of the page tests: an initiative, a dialogue, people in every role, joining."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from django.test import Client

from tracktwo.accounts.auth import PARTICIPANT_SESSION_KEY
from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue, Participant, Statement
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative, Party

_names = itertools.count(1)
PASSWORD = "a long enough passphrase 42"


def make_user(prefix: str) -> User:
    return User.objects.create_user(f"{prefix}{next(_names)}", password=None)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class World:
    """One initiative (two parties, one dialogue) and a person in every role around it."""

    convener: User
    facilitator: User
    observer: User
    liaison: User
    outsider: User
    initiative: Initiative
    parties: list[Party]
    dialogue: Dialogue
    other: Dialogue  # another dialogue of the same initiative

    def invite(self, party: int = 0, dialogue: Dialogue | None = None, **kwargs: object) -> str:
        _, token = actions.create_invitation(
            dialogue or self.dialogue,
            party=self.parties[party],
            by=self.convener,
            **kwargs,  # type: ignore[arg-type]
        )
        return token

    def join(self, handle: str, party: int = 0, dialogue: Dialogue | None = None) -> Client:
        """A browser that joined through the pages under ``handle``."""
        client = Client()
        token = self.invite(party, dialogue)
        assert client.get(f"/join/{token}").status_code == 302
        response = client.post("/join", {"handle": handle, "accept": "on"})
        assert response.status_code == 201, response.content.decode()
        return client

    def seed(self, text: str, dialogue: Dialogue | None = None) -> Statement:
        by = self.facilitator if dialogue is None else self.convener
        return actions.write_statement(dialogue or self.dialogue, text, user=by)


def participant_of(client: Client) -> Participant:
    return Participant.objects.get(pk=client.session[PARTICIPANT_SESSION_KEY])


def make_world(
    *, moderation_required: bool = True, confidentiality: str = "chatham-house"
) -> World:
    convener = make_user("convener")
    initiative = initiative_actions.create_initiative(
        convener, "Water and the valley", ["Upstream", "Downstream"]
    )
    dialogue = actions.create_dialogue(
        initiative,
        "Valley workshop",
        "problem-solving-workshop",
        confidentiality,
        convener,
        moderation_required=moderation_required,
    )
    other = actions.create_dialogue(
        initiative, "Second meeting", "citizen-exchange", "off-the-record", convener
    )
    facilitator = make_user("facilitator")
    initiative_actions.add_member(
        initiative, facilitator, "facilitator", convener, dialogue=dialogue
    )
    observer = make_user("observer")
    initiative_actions.add_member(initiative, observer, "observer", convener, dialogue=dialogue)
    liaison = make_user("liaison")
    initiative_actions.add_member(initiative, liaison, "liaison", convener)
    outsider = make_user("outsider")
    parties = list(initiative.parties.order_by("position"))
    return World(
        convener, facilitator, observer, liaison, outsider, initiative, parties, dialogue, other
    )


def text_of(html: bytes | str) -> str:
    """The visible text of a page, tags dropped (for "does this string appear" checks)."""
    page = html.decode() if isinstance(html, bytes) else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
