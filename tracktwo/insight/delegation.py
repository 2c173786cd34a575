"""A dialogue's delegation balance as it leaves the conveners: small counts withheld.

The counts come from the actor map's delegation (:mod:`tracktwo.initiatives.actors.queries`:
the candidates of the latest draw) per side, track, gender, region and level; the one
suppression (:mod:`tracktwo.insight.suppression`) withholds counts below the dialogue's
threshold, and enough others that none can be worked out. The dashboard (observers), the
API and briefs read this; conveners and facilitators may ask for it unsuppressed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives.actors.models import ActorTrack, Level
from tracktwo.initiatives.actors.queries import BALANCE_CATEGORIES, balance_counts, latest_draw
from tracktwo.insight.suppression import protect_sizes


def _label(category: str, value: str) -> str:
    if not value:
        return _("(not given)")
    if category == "level":
        return str(dict(Level.choices).get(value, value))
    if category == "track":
        return str(dict(ActorTrack.choices).get(value, value))
    return value


def category_names() -> dict[str, str]:
    return {
        "side": _("Side"),
        "track": _("Track"),
        "gender": _("Gender"),
        "region": _("Region"),
        "level": _("Level"),
    }


def balance(dialogue: Dialogue, threshold: int | None) -> dict[str, Any]:
    """``{"drawn", "total", "categories": [{"key", "name", "rows": [(label, n)]}]}``;
    ``n`` is None where withheld; ``threshold`` None: nothing withheld."""
    total, counts = balance_counts(dialogue)
    names = category_names()
    shown_total: int | None = total
    categories: list[dict[str, Any]] = []
    for category in BALANCE_CATEGORIES:
        if not counts[category]:  # nobody drawn: nothing to withhold
            categories.append({"key": category, "name": names[category], "rows": []})
            continue
        sizes, shown_total = protect_sizes(counts[category], total, threshold)
        rows = [(_label(category, value), n) for value, n in sizes.items()]
        categories.append({"key": category, "name": names[category], "rows": rows})
    return {
        "drawn": latest_draw(dialogue) is not None,
        "total": shown_total,
        "categories": categories,
    }


def brief_lines(dialogue: Dialogue, threshold: int) -> tuple[str, ...]:
    """The drawn delegation's balance for a brief (in English, as briefs are), counts below
    ``threshold`` withheld by the one suppression; nothing if no delegation was drawn."""
    found = balance(dialogue, threshold)
    if not found["drawn"]:
        return ()
    parts = []
    for category in found["categories"]:
        shown = ", ".join(
            f"{value or 'not given'} {'withheld' if n is None else n}"
            for value, n in category["rows"]
        )
        if shown:
            parts.append(f"{category['key']}: {shown}")
    size = "withheld" if found["total"] is None else found["total"]
    return (
        f"The delegation was drawn by a fair lottery under quotas (seed recorded); "
        f"drawn: {size}; " + "; ".join(parts) + f" (counts below {threshold} withheld).",
    )
