"""What changes a listening circle: its monthly rhythm, gatherings, rounds and reflections.

Facilitators (and conveners) of the dialogue set the rhythm, hold the next gathering (a new
meeting of the same circle: the standing invitation means nobody is invited again) and open
and close rounds; a participant writes their own reflection in the open round. Each action
is one transaction; outside a listening circle each is refused (``OutOfFormat``, 409).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.circles import rules
from tracktwo.circles.models import (
    MAX_PROMPT_CHARS,
    MAX_REFLECTION_CHARS,
    Circle,
    Reflection,
    Round,
)
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Dialogue, Participant, Session
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, NotAllowed
from tracktwo.practice.formats import ParticipantRole
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing


def one_month_after(day: dt.date) -> dt.date:
    """The same day next month (the month's last day where it is shorter)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _run(dialogue: Dialogue, by: User, what: str) -> Circle:
    permissions.require(permissions.can_facilitate(by, dialogue), _("run this circle"))
    rules.require_circle(dialogue, what)
    circle, _created = Circle.objects.get_or_create(dialogue=dialogue)
    return circle


@transaction.atomic
def set_rhythm(dialogue: Dialogue, next_on: dt.date, by: User) -> Circle:
    """The day of the circle's next monthly gathering."""
    circle = _run(dialogue, by, _("a circle's rhythm"))
    circle.next_on = next_on
    circle.save(update_fields=["next_on"])
    return circle


@transaction.atomic
def hold_gathering(dialogue: Dialogue, by: User) -> Session:
    """This month's gathering of the same circle: a new meeting; the next is a month on."""
    circle = _run(dialogue, by, _("a gathering"))
    Round.objects.filter(circle=circle, closed_at__isnull=True).update(closed_at=timezone.now())
    day = circle.next_on or timezone.localdate()
    starts = dt.datetime.combine(day, dt.time(18, 0), tzinfo=dt.UTC)
    session = dialogue_actions.start_session(dialogue, by, starts_at=starts)
    circle.gatherings += 1
    circle.next_on = one_month_after(day)
    circle.save(update_fields=["gatherings", "next_on"])
    record(
        "circles.gathering",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"session": session.number},
    )
    return session


@transaction.atomic
def open_round(dialogue: Dialogue, prompt: str, by: User) -> Round:
    """Close the open round, if any, and open the next with ``prompt``."""
    circle = _run(dialogue, by, _("a round of prompts"))
    text = clean_text(prompt, "prompt", max_chars=MAX_PROMPT_CHARS, multiline=True)
    session = Session.objects.filter(dialogue=dialogue).order_by("-number").first()
    if session is None:
        raise Conflict(_("hold the circle's first gathering before opening a round"))
    now = timezone.now()
    Round.objects.filter(circle=circle, closed_at__isnull=True).update(closed_at=now)
    last = Round.objects.filter(circle=circle).order_by("-number").first()
    round_ = Round(circle=circle, session=session, number=(last.number + 1) if last else 1)
    round_.prompt.write(box_for_sealing(dialogue.initiative_id), text)
    round_.save()
    return round_


@transaction.atomic
def close_round(dialogue: Dialogue, by: User) -> int:
    """Close the open round; the number of rounds closed (0 or 1)."""
    circle = _run(dialogue, by, _("a round of prompts"))
    return Round.objects.filter(circle=circle, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )


@transaction.atomic
def reflect(participant: Participant, text: str) -> Reflection:
    """The participant's reflection in the open round (writing again replaces it)."""
    dialogue = participant.dialogue
    if not participant.active:
        raise NotAllowed(_("you have left this circle"))
    if participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers listen: they do not write reflections"))
    rules.require_circle(dialogue, _("a reflection"))
    clean = clean_text(text, "text", max_chars=MAX_REFLECTION_CHARS, multiline=True)
    round_ = Round.objects.filter(circle__dialogue=dialogue, closed_at__isnull=True).first()
    if round_ is None:
        raise Conflict(_("no round is open: the facilitator opens the next one"))
    reflection = Reflection.objects.filter(round=round_, participant=participant).first()
    reflection = reflection or Reflection(round=round_, participant=participant)
    reflection.text.write(box_for_sealing(dialogue.initiative_id), clean)
    reflection.save()
    return reflection
