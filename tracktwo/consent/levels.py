"""Risk levels, the group's effective level, and the protective defaults each level sets.

Pure policy (no database): :func:`effective_level` is the maximum of the members' levels
(the group is only as safe as its most exposed member); :func:`defaults_for` gives the
protections a level sets. A convener may make them stricter (a higher floor level, a
higher small-cell threshold, a shorter retention), never looser: :func:`protections`
combines the two and :class:`Protections` is what every gate reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """A participant's (or a dialogue's) risk if their part became known."""

    LOW = "low", _("Low")
    ELEVATED = "elevated", _("Elevated")
    HIGH = "high", _("High")
    SEVERE = "severe", _("Severe")


ORDER: tuple[str, ...] = (Level.LOW, Level.ELEVATED, Level.HIGH, Level.SEVERE)


def rank(level: str) -> int:
    """0 for low ... 3 for severe (an unknown value counts as low)."""
    return ORDER.index(level) if level in ORDER else 0


def effective_level(levels: Iterable[str]) -> str:
    """The most exposed member's level; low when nobody has said anything."""
    return max((str(level) for level in levels if level in ORDER), key=rank, default=Level.LOW)


def at_least(level: str, floor: str) -> bool:
    return rank(level) >= rank(floor)


# The floors each level sets (docs/security.md, "Risk and consent").
SMALL_CELL_FLOOR = {Level.LOW: 0, Level.ELEVATED: 0, Level.HIGH: 8, Level.SEVERE: 10}
RETENTION_CAP_DAYS = {Level.LOW: None, Level.ELEVATED: None, Level.HIGH: 90, Level.SEVERE: 30}


@dataclass(frozen=True)
class Protections:
    """What a dialogue's level (and its convener's stricter choices) switch on.

    Attributes
    ----------
    level : str
        The level the protections follow: the higher of the effective level and the
        convener's floor.
    dates_withheld : bool
        Briefs say "withheld" instead of the meetings' dates.
    small_cell_floor : int
        The small-cell threshold may not be set below this (0: no floor).
    verbatim_exchanges : bool
        Briefs may include carried back-channel exchanges word for word.
    exports : bool
        The Pol.is export may be taken at all.
    quick_exit, decoy_title : bool
        Every page of the dialogue, facilitators' too, carries the quick exit and a
        title that says nothing ("Notes").
    retention_cap_days : int or None
        The initiative's retention period may not be longer than this.
    secret : bool
        The fact of meeting is secret: the regime becomes "secret meeting".
    live_votes_batched : bool
        The facilitators' live view is batched like the participants' cut.
    """

    level: str
    dates_withheld: bool
    small_cell_floor: int
    verbatim_exchanges: bool
    exports: bool
    quick_exit: bool
    decoy_title: bool
    retention_cap_days: int | None
    secret: bool
    live_votes_batched: bool


def defaults_for(level: str) -> Protections:
    """The protective defaults of one level (see the module's docstring)."""
    level = level if level in ORDER else Level.LOW
    high = at_least(level, Level.HIGH)
    return Protections(
        level=level,
        dates_withheld=high,
        small_cell_floor=SMALL_CELL_FLOOR[Level(level)],
        verbatim_exchanges=not high,
        exports=not high,
        quick_exit=high,
        decoy_title=high,
        retention_cap_days=RETENTION_CAP_DAYS[Level(level)],
        secret=level == Level.SEVERE,
        live_votes_batched=high,
    )


def protections(effective: str, floor: str = Level.LOW) -> Protections:
    """The protections of a dialogue whose members' maximum is ``effective`` and whose
    convener asked for at least ``floor``: a floor can only raise them."""
    return defaults_for(effective if rank(effective) >= rank(floor) else floor)
