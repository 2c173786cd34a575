"""What each app keeps that is confidential, as retention, purge and wipe reach it.

``safety`` is the ground floor: it imports no app. Instead each app registers its own
confidential rows when Django starts (in its ``AppConfig.ready``), and the retention
purge and the emergency wipe (:mod:`tracktwo.safety.retention`) work from this registry
alone. Adding an app with confidential rows touches only that app.

Three kinds of registration:

- :func:`register_key_owner`: the model a data key belongs to (the initiative); a wipe
  deletes its row last. Exactly one.
- :func:`register_dialogue_model`: the unit whose content a retention purge deletes once
  nothing happened in it for its owner's retention period (the dialogue). Exactly one.
- :func:`register_confidential`: rows of confidential content. Rows of a dialogue
  (``dialogue`` set) go with its content in a purge; rows with ``expires`` set (of a
  dialogue or not) go one by one once older than their period, even while their dialogue
  lives; every registered row of an initiative goes in a wipe, in ``wipe_order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models


@dataclass(frozen=True)
class ConfidentialRows:
    """Rows of one model that hold what participants or members brought.

    Parameters
    ----------
    name : str
        What the rows are called in audit details and in the counts a purge or wipe
        returns (``"votes"``).
    model : type of Model
    initiative : str
        ORM lookup from a row to its initiative's id (``"dialogue__initiative_id"``).
    dialogue : str or None
        ORM lookup from a row to its dialogue's id: such rows are deleted with their
        dialogue's content in a retention purge. None for rows of no dialogue.
    activity : str or None
        A timestamp of the row that counts as activity in its dialogue (a vote's
        ``created_at``): the retention period runs from the latest.
    expires : str or None
        The timestamp from which each row's own retention period runs (such rows go one by
        one once past it, also while their dialogue lives: a prepared file). None: kept
        until the dialogue is purged (rows of a dialogue) or the initiative is wiped.
    expiry_days : callable or None
        For rows with ``expires``: given the key owner (the initiative), how many days each
        row lives (an app's own setting, such as the back-channel's message expiry). None:
        the key owner's retention period.
    unit : str
        What one row is called in the audit row of an expiry purge (``"messages"``).
    wipe_order : int
        Lower first in a wipe (rows of dialogues go before any other).
    """

    name: str
    model: type[models.Model]
    initiative: str
    dialogue: str | None = None
    activity: str | None = None
    expires: str | None = None
    expiry_days: Callable[[Any], int] | None = None
    unit: str = "rows"
    wipe_order: int = 0


@dataclass(frozen=True)
class DialogueModel:
    """The unit of a retention purge: its content goes, an empty row stays marked purged."""

    model: type[models.Model]
    initiative: str = "initiative_id"
    retention_days: str = "initiative__retention_days"
    created: str = "created_at"
    purged: str = "purged_at"


_CONFIDENTIAL: list[ConfidentialRows] = []
_DIALOGUE: list[DialogueModel] = []
_KEY_OWNER: list[tuple[type[models.Model], str]] = []


def register_confidential(*rows: ConfidentialRows) -> None:
    """Register rows of confidential content (idempotent: a name is registered once)."""
    for row in rows:
        known = next((r for r in _CONFIDENTIAL if r.name == row.name), None)
        if known is None:
            _CONFIDENTIAL.append(row)
        elif known != row:
            raise ImproperlyConfigured(f"confidential rows {row.name!r} registered twice")


def register_dialogue_model(unit: DialogueModel) -> None:
    """Register the model whose content a retention purge deletes (exactly one)."""
    if _DIALOGUE and _DIALOGUE[0] != unit:
        raise ImproperlyConfigured("a second dialogue model registered for retention")
    _DIALOGUE[:] = [unit]


def register_key_owner(model: type[models.Model], retention_days: str = "retention_days") -> None:
    """Register the model a data key belongs to, with its retention period's field."""
    if _KEY_OWNER and _KEY_OWNER[0] != (model, retention_days):
        raise ImproperlyConfigured("a second key owner registered")
    _KEY_OWNER[:] = [(model, retention_days)]


def confidential_rows() -> list[ConfidentialRows]:
    """Every registered kind of confidential row, in registration order."""
    return list(_CONFIDENTIAL)


def dialogue_model() -> DialogueModel:
    if not _DIALOGUE:
        raise ImproperlyConfigured("no dialogue model registered for retention")
    return _DIALOGUE[0]


def key_owner() -> tuple[type[models.Model], str]:
    if not _KEY_OWNER:
        raise ImproperlyConfigured("no key owner registered")
    return _KEY_OWNER[0]
