"""Who is in a dialogue's room, and the drawn delegates not yet in it: small counts withheld.

The counts come from :mod:`tracktwo.initiatives.actors.queries`: the present participants
(not withdrawn) by side, track, gender, region and level as their profiles hold them
(level is recorded only for delegates who joined through a draw's invitation: "not
recorded" for others), and, separately, the latest draw's delegates who have not joined.
The one suppression (:mod:`tracktwo.insight.suppression`) withholds counts below the
dialogue's threshold, and enough others that none can be worked out. The dashboard
(observers), the API and briefs read this; conveners and facilitators may ask for it
unsuppressed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives.actors.models import ActorTrack, Level
from tracktwo.initiatives.actors.queries import BALANCE_CATEGORIES, balance_counts, latest_draw
from tracktwo.insight.suppression import protect_sizes
from tracktwo.practice.formats import Gender


def _label(category: str, value: str) -> str:
    if not value:
        return _("not recorded") if category == "level" else _("(not given)")
    if category == "level":
        return str(dict(Level.choices).get(value, value))
    if category == "track":
        return str(dict(ActorTrack.choices).get(value, value))
    if category == "gender":  # a profile's gender is a code of the fixed list
        return str(dict(Gender.choices).get(value, value))
    return value


def category_names() -> dict[str, str]:
    return {
        "side": _("Side"),
        "track": _("Track"),
        "gender": _("Gender"),
        "region": _("Region"),
        "level": _("Level"),
    }


def _group(
    total: int, counts: dict[str, dict[str, int]], threshold: int | None
) -> tuple[int | None, list[dict[str, Any]]]:
    names = category_names()
    shown_total: int | None = total
    categories: list[dict[str, Any]] = []
    for category in BALANCE_CATEGORIES:
        if not counts[category]:  # nobody: nothing to withhold
            categories.append({"key": category, "name": names[category], "rows": []})
            continue
        sizes, shown_total = protect_sizes(counts[category], total, threshold)
        rows = [(_label(category, value), n) for value, n in sizes.items()]
        categories.append({"key": category, "name": names[category], "rows": rows})
    return shown_total, categories


def balance(dialogue: Dialogue, threshold: int | None) -> dict[str, Any]:
    """``{"drawn", "total", "categories", "pending": {"total", "categories"}}``: the room
    (present participants) and the drawn delegates not yet joined; each category
    ``{"key", "name", "rows": [(label, n)]}``, ``n`` None where withheld; ``threshold``
    None: nothing withheld."""
    total, counts, waiting, waiting_counts = balance_counts(dialogue)
    shown_total, categories = _group(total, counts, threshold)
    pending_total, pending = _group(waiting, waiting_counts, threshold)
    return {
        "drawn": latest_draw(dialogue) is not None,
        "total": shown_total,
        "categories": categories,
        "pending": {"total": pending_total, "categories": pending},
    }


def _english(category: str, value: str) -> str:
    if not value:
        return "not recorded" if category == "level" else "not given"
    return value


def _parts(categories: list[dict[str, Any]], values: dict[str, list[str]]) -> str:
    parts = []
    for category in categories:
        shown = ", ".join(
            f"{_english(category['key'], value)} {'withheld' if n is None else n}"
            for value, (_shown, n) in zip(values[category["key"]], category["rows"], strict=True)
        )
        if shown:
            parts.append(f"{category['key']}: {shown}")
    return "; ".join(parts)


def _sentence(
    opening: str, categories: list[dict[str, Any]], raw: dict[str, list[str]], threshold: int
) -> str:
    counts = _parts(categories, raw)
    return f"{opening}{'; ' + counts if counts else ''} (counts below {threshold} withheld)."


def brief_lines(dialogue: Dialogue, threshold: int) -> tuple[str, ...]:
    """Who is in the room (in English, as briefs are), and the drawn delegates not yet
    joined, counts below ``threshold`` withheld by the one suppression; nothing if nobody
    is in the room and no delegation was drawn."""
    total, counts, _waiting, waiting_counts = balance_counts(dialogue)
    found = balance(dialogue, threshold)
    if not total and not found["drawn"]:
        return ()
    raw = {c: list(counts[c]) for c in BALANCE_CATEGORIES}
    size = "withheld" if found["total"] is None else found["total"]
    lines = [_sentence(f"In the room: {size} participants", found["categories"], raw, threshold)]
    if found["drawn"]:
        pending = found["pending"]
        held = "withheld" if pending["total"] is None else pending["total"]
        raw = {c: list(waiting_counts[c]) for c in BALANCE_CATEGORIES}
        opening = (
            "The delegation was drawn by a fair lottery under quotas (seed recorded); "
            f"drawn but not yet joined: {held}"
        )
        lines.append(_sentence(opening, pending["categories"], raw, threshold))
    return tuple(lines)
