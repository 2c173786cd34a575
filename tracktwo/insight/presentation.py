"""From the live analysis JSON (:func:`tracktwo.insight.service.dialogue_analysis`) to what
the dashboard and the participants' results page show.

Support bars are small SVGs with attributes only (no inline style, so the CSP holds)
and the figures written out beside them; a withheld (small-cell) tally says so instead of
showing a number. Groups are named A, B, C...; sides by their party names. Nothing here
sees a participant id: the payload has none.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tracktwo.analysis.bridging import BRIDGE_FACTOR
from tracktwo.insight.opinion_map import MapData, MapGroup, draw, group_letter

AGREE = "#1d6b34"
DISAGREE = "#a61b1b"
PASSED = "#b9bec6"


def _pct(value: float | None) -> int | None:
    return None if value is None else round(100 * float(value))


def bar_svg(tally: dict[str, Any]) -> str:
    """Agree, pass and disagree shares as one stacked bar, with the agree interval drawn
    over it (decorative: the figures beside it say the same in words)."""
    n = tally.get("n") or 0
    agree, disagree, passes = tally.get("agree"), tally.get("disagree"), tally.get("pass")
    parts = [
        '<svg viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect width="100" height="12" fill="#eef0f3"/>'
    ]
    if n:  # agree from the start, disagree from the end, passes after agree; withheld: blank
        a = 100 * agree / n if agree is not None else 0.0
        if agree is not None:
            parts.append(f'<rect width="{a:.1f}" height="12" fill="{AGREE}"/>')
        if passes is not None and agree is not None:
            parts.append(
                f'<rect x="{a:.1f}" width="{100 * passes / n:.1f}" height="12" fill="{PASSED}"/>'
            )
        if disagree is not None:
            d = 100 * disagree / n
            parts.append(f'<rect x="{100 - d:.1f}" width="{d:.1f}" height="12" fill="{DISAGREE}"/>')
    low, high = tally.get("low"), tally.get("high")
    if low is not None and high is not None:
        lo, hi = 100 * low, 100 * high
        parts.append(
            f'<path d="M{lo:.1f} 6 H{hi:.1f} M{lo:.1f} 2 V10 M{hi:.1f} 2 V10" '
            'stroke="#1a1a1a" stroke-width="1.5" fill="none" vector-effect="non-scaling-stroke"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar(label: str, tally: dict[str, Any] | None) -> dict[str, Any]:
    """One labelled support bar; ``withheld`` when suppression left no agree share."""
    tally = tally or {}
    withheld = tally.get("share") is None
    return {
        "label": label,
        "withheld": withheld,
        "empty": tally.get("n") == 0,
        "agree": tally.get("agree"),
        "disagree": tally.get("disagree"),
        "pass": tally.get("pass"),
        "n": tally.get("n"),
        "share": _pct(tally.get("share")),
        "low": _pct(tally.get("low")),
        "high": _pct(tally.get("high")),
        "svg": "" if withheld else bar_svg(tally),
    }


def group_name(group: int | str) -> str:
    return _("Group %(letter)s") % {"letter": group_letter(int(group))}


def statement_item(
    payload: dict[str, Any], sid: int | str, *, by_group: bool = False, **extra: Any
) -> dict[str, Any]:
    """A statement with its text and its support overall, per side and per group.

    ``first`` holds the bars shown at once (per side, or per group with ``by_group`` or
    when there are no sides), ``more`` the others, shown on request.
    """
    key = str(sid)
    support = payload.get("support", {}).get(key, {})
    sides = support.get("sides") or {}
    groups = support.get("groups") or {}
    side_bars = [bar(name, tally) for name, tally in sides.items()]
    group_bars = [bar(group_name(g), tally) for g, tally in sorted(groups.items())]
    first, more = (group_bars, side_bars) if by_group or not side_bars else (side_bars, group_bars)
    return {
        "id": key,
        "text": payload.get("statements", {}).get(key, {}).get("text") or "",
        "overall": bar(_("Everyone"), support.get("overall")),
        "first": first,
        "more": more,
        "more_label": _("By side") if first is group_bars else _("By opinion group"),
        **extra,
    }


def _items(payload: dict[str, Any], ids: list[Any]) -> list[dict[str, Any]]:
    return [statement_item(payload, sid) for sid in ids]


MAX_BRIDGING = 5
DEFAULT_MIN_VOTES = 5  # as tracktwo.analysis.cross_party's min_votes


def _heard(support: dict[str, Any], min_votes: int) -> bool:
    sides = support.get("sides") or {}
    tallies = list(sides.values()) if sides else [support.get("overall") or {}]
    return all((tally.get("n") or 0) >= min_votes for tally in tallies)


def _bridging_ids(payload: dict[str, Any]) -> list[str]:
    """The statements with the highest bridging scores (facilitators' payload only).

    The bridging model (:mod:`tracktwo.analysis.bridging`) splits each statement's support
    into a factor along the main line of disagreement and an intercept: the support left
    once that line is accounted for. Listed: statements off that line (``|factor|`` below
    the model's ``BRIDGE_FACTOR``) with more support than average (intercept above zero),
    highest intercept first. The model's own "bridges" flag (intercept at least 0.40, a
    Community Notes threshold) is rarely reached in agreeable dialogues, so it ranks rather
    than filters (see docs/cross-party.md). Only statements every side has been heard on
    (the cross-side ``min_votes``, 5 by default; without sides, that many votes in all)
    qualify: a score from a handful of votes says little.
    """
    scores = payload.get("bridging") or {}
    support = payload.get("support") or {}
    settings = (payload.get("cross_side") or {}).get("settings") or {}
    min_votes = int(settings.get("min_votes") or DEFAULT_MIN_VOTES)
    chosen = [
        (float(entry.get("intercept") or 0.0), sid)
        for sid, entry in scores.items()
        if sid in support
        and _heard(support[sid], min_votes)
        and float(entry.get("intercept") or 0.0) > 0.0
        and abs(float(entry.get("factor") or 0.0)) < BRIDGE_FACTOR
    ]
    chosen.sort(key=lambda item: -item[0])
    return [sid for _score, sid in chosen[:MAX_BRIDGING]]


def sides_and_groups(payload: dict[str, Any]) -> dict[str, Any] | None:
    """Participants per declared side and opinion group (facilitators' payload only), as
    table rows: how the sides spread over the groups that votes reveal."""
    table = (payload.get("cross_side") or {}).get("sides_and_groups")
    if not table:
        return None
    columns = [str(g["id"]) for g in payload.get("groups", [])]
    rows = [
        {
            "side": side,
            "cells": [counts.get(column, 0) for column in columns],
            "none": counts.get("none", 0),
        }
        for side, counts in table.items()
    ]
    return {
        "groups": [{"name": group_name(c), "index": int(c)} for c in columns],
        "rows": rows,
    }


def sections(payload: dict[str, Any]) -> dict[str, Any]:
    """The lists the dashboard and the results page show, from one payload."""
    cross = payload.get("cross_side") or {}
    representative = []
    for group, entries in sorted(
        (payload.get("representative") or {}).items(), key=lambda kv: int(kv[0])
    ):
        representative.append(
            {
                "name": group_name(group),
                "index": int(group),
                "items": [
                    statement_item(
                        payload, e["statement"], direction=e.get("direction"), by_group=True
                    )
                    for e in entries
                    if (e.get("score") or 0) > 0  # Pol.is fills up with undistinctive ones
                ],
            }
        )
    groups = [
        {"name": group_name(g["id"]), "index": int(g["id"]), "size": g.get("size")}
        for g in payload.get("groups", [])
    ]
    return {
        "status": payload.get("status"),
        "stale": bool(payload.get("stale")),
        "counts": payload.get("counts", {}),
        "groups": groups,
        "common_ground": _items(
            payload, [e["statement"] for e in payload.get("common_ground", [])]
        ),
        "cross_available": bool(cross.get("available")),
        "cross_note": cross.get("note", ""),
        "sides": cross.get("parties") or {},
        "cross_common_ground": _items(payload, list(cross.get("common_ground", []))),
        "shared_rejection": _items(payload, list(cross.get("shared_rejection", []))),
        "divides": _items(payload, list(cross.get("divides", []))),
        "bridging": [
            statement_item(
                payload, sid, bridges=bool((payload.get("bridging") or {})[sid].get("bridges"))
            )
            for sid in _bridging_ids(payload)
        ],
        "sides_and_groups": sides_and_groups(payload),
        "representative": representative,
        "divisive": _items(payload, [e["statement"] for e in payload.get("divisive", [])]),
        "uncertain": _items(payload, list(payload.get("uncertain", []))),
    }


def facilitator_map(payload: dict[str, Any]) -> str:
    """Every participant an anonymous dot, each group a shaded hull (facilitators only)."""
    points = (payload.get("map") or {}).get("participants") or []
    if not points:
        return ""
    n_groups = len(payload.get("groups", []))
    grouped: list[list[tuple[float, float]]] = [[] for _ in range(n_groups)]
    ungrouped: list[tuple[float, float]] = []
    for x, y, g in points:
        (grouped[g] if 0 <= g < n_groups else ungrouped).append((float(x), float(y)))
    sizes = [g.get("size") for g in payload.get("groups", [])]
    data = MapData(
        tuple(MapGroup(tuple(pts), size=size) for pts, size in zip(grouped, sizes, strict=True)),
        tuple(ungrouped),
    )
    description = _("%(people)d participants in %(groups)d opinion groups.") % {
        "people": len(points),
        "groups": n_groups,
    }
    return draw(data, title=_("Opinion map"), description=description, audience="facilitator")


def participant_map(position: dict[str, Any]) -> tuple[str, str]:
    """The participant's own dot among the groups' areas, and a sentence saying where they are."""
    groups = position.get("groups") or []
    own = position.get("projection")
    if own is None or not groups:
        if position.get("status") in ("ready", "not-yet-counted"):
            return "", _(
                "You are not on the map yet: it counts votes in batches, and you appear once "
                "you have voted on a few more statements."
            )
        return "", ""
    data = MapData(
        tuple(
            MapGroup(center=(float(g["center"][0]), float(g["center"][1])), size=g.get("size"))
            for g in groups
        )
    )
    group = position.get("group")
    if group is None:
        summary = _("You are not in any opinion group yet.")
    else:
        summary = _("You are closest to %(group)s.") % {"group": group_name(group)}
    description = _("%(groups)d opinion groups and your own position.") % {"groups": len(groups)}
    svg = draw(
        data,
        title=_("Where you stand"),
        description=f"{description} {summary}",
        audience="participant",
        own=(float(own[0]), float(own[1])),
        own_label=_("You"),
    )
    return svg, summary


def legend(payload_groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"index": int(g["id"]), "letter": group_letter(int(g["id"])), "size": g.get("size")}
        for g in payload_groups
    ]
