"""Helpers for the dialogues and safety tests: people, an initiative, a dialogue, participants."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative, Party
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

_names = itertools.count(1)


def make_user(prefix: str = "person") -> User:
    return User.objects.create_user(f"{prefix}{next(_names)}", password=None)


@dataclass
class Workshop:
    """An initiative with two parties and one problem-solving workshop, and its convener."""

    convener: User
    initiative: Initiative
    parties: list[Party]
    dialogue: Dialogue

    def box(self) -> Box:
        return box_for(self.initiative.pk)

    def invite(self, party: int = 0, **kwargs: object) -> str:
        _, token = actions.create_invitation(
            self.dialogue,
            party=self.parties[party],
            by=self.convener,
            **kwargs,  # type: ignore[arg-type]
        )
        return token

    def join(self, handle: str, party: int = 0, **kwargs: object) -> actions.Joined:
        return actions.join(self.invite(party), handle, True, **kwargs)  # type: ignore[arg-type]


def make_workshop(
    title: str = "Water and the valley",
    parties: tuple[str, ...] = ("Upstream", "Downstream"),
    *,
    moderation_required: bool = True,
    confidentiality: str = "chatham-house",
    format: str = "problem-solving-workshop",
) -> Workshop:
    convener = make_user("convener")
    initiative = initiative_actions.create_initiative(convener, title, list(parties))
    dialogue = actions.create_dialogue(
        initiative,
        f"{title}: first workshop",
        format,
        confidentiality,
        convener,
        moderation_required=moderation_required,
    )
    return Workshop(convener, initiative, list(initiative.parties.order_by("position")), dialogue)
