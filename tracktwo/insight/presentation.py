"""From the insight service's results (:func:`tracktwo.insight.service.dialogue_insight`,
:func:`~tracktwo.insight.service.own_position`) to what the dashboard and the
participants' results page show.

Support bars are small SVGs with attributes only (no inline style, so the CSP holds)
and the figures written out beside them; a withheld (small-cell) tally says so instead of
showing a number. Groups are named A, B, C...; sides by their party names. Nothing here
sees a participant id: the results have none. Each function also takes the JSON form of
its input (``docs/api.md``), read with :mod:`tracktwo.insight.json_form`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from tracktwo.analysis.bridging import BRIDGE_FACTOR
from tracktwo.insight.json_form import from_json, position_from_json, tally_from_json
from tracktwo.insight.opinion_map import DENSE_DOTS, MapData, MapGroup, draw, group_letter
from tracktwo.insight.results import (
    DialogueInsight,
    GroupSummary,
    OwnPosition,
    StatementSupport,
    Tally,
)
from tracktwo.insight.suppression import band_text

AGREE = "#1d6b34"
DISAGREE = "#a61b1b"
PASSED = "#b9bec6"

Insight = DialogueInsight | Mapping[str, Any]


def _insight(insight: Insight) -> DialogueInsight:
    return insight if isinstance(insight, DialogueInsight) else from_json(insight)


def _tally(tally: Tally | Mapping[str, Any] | None) -> Tally:
    return tally if isinstance(tally, Tally) else tally_from_json(tally)


def _pct(value: float | None) -> int | None:
    return None if value is None else round(100 * float(value))


def bar_svg(tally: Tally | Mapping[str, Any]) -> str:
    """Agree, pass and disagree shares as one stacked bar, with the agree interval drawn
    over it (decorative: the figures beside it say the same in words)."""
    t = _tally(tally)
    n = t.n or 0
    agree, disagree, passes = t.agree, t.disagree, t.passes
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
    low, high = t.low, t.high
    if low is not None and high is not None:
        lo, hi = 100 * low, 100 * high
        parts.append(
            f'<path d="M{lo:.1f} 6 H{hi:.1f} M{lo:.1f} 2 V10 M{hi:.1f} 2 V10" '
            'stroke="#1a1a1a" stroke-width="1.5" fill="none" vector-effect="non-scaling-stroke"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def bar(label: str, tally: Tally | Mapping[str, Any] | None) -> dict[str, Any]:
    """One labelled support bar; ``withheld`` when suppression left no agree share."""
    t = _tally(tally)
    return {
        "label": label,
        "withheld": t.withheld,
        "empty": t.n == 0,
        "agree": t.agree,
        "disagree": t.disagree,
        "pass": t.passes,
        "n": t.n,
        "share": _pct(t.share),
        "low": _pct(t.low),
        "high": _pct(t.high),
        "svg": "" if t.withheld else bar_svg(t),
        "band": band_text(t.band) if t.withheld and t.band is not None else "",
    }


def group_name(group: int | str) -> str:
    return _("Group %(letter)s") % {"letter": group_letter(int(group))}


def statement_item(
    insight: Insight, sid: int | str, *, by_group: bool = False, **extra: Any
) -> dict[str, Any]:
    """A statement with its text and its support overall, per side and per group.

    ``first`` holds the bars shown at once (per side, or per group with ``by_group`` or
    when there are no sides), ``more`` the others, shown on request.
    """
    found = _insight(insight)
    support = found.support_for(int(sid))
    sides = (support.sides if support else None) or ()
    groups = support.groups if support else ()
    side_bars = [bar(s.side, s.tally) for s in sides]
    group_bars = [bar(group_name(g.group), g.tally) for g in sorted(groups, key=_group_key)]
    first, more = (group_bars, side_bars) if by_group or not side_bars else (side_bars, group_bars)
    return {
        "id": str(sid),
        "text": found.text_of(int(sid)) or "",
        "overall": bar(_("Everyone"), support.overall if support else None),
        "first": first,
        "more": more,
        "more_label": _("By side") if first is group_bars else _("By opinion group"),
        **extra,
    }


def _group_key(entry: Any) -> str:
    return str(entry.group)  # as the JSON's keys sorted: "10" before "2"


def _items(insight: DialogueInsight, ids: list[int]) -> list[dict[str, Any]]:
    return [statement_item(insight, sid) for sid in ids]


MAX_BRIDGING = 5
DEFAULT_MIN_VOTES = 5  # as tracktwo.analysis.cross_party's min_votes


def _heard(support: StatementSupport, min_votes: int) -> bool:
    tallies = [s.tally for s in support.sides] if support.sides else [support.overall]
    return all((tally.n or 0) >= min_votes for tally in tallies)


def _bridging_ids(insight: DialogueInsight) -> list[int]:
    """The statements with the highest bridging scores (facilitators' cut only).

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
    settings = insight.cross_side.settings if insight.cross_side else None
    min_votes = int((settings.min_votes if settings else 0) or DEFAULT_MIN_VOTES)
    chosen = []
    for score in insight.bridging or ():
        support = insight.support_for(score.statement)
        if (
            support is not None
            and _heard(support, min_votes)
            and float(score.intercept or 0.0) > 0.0
            and abs(float(score.factor or 0.0)) < BRIDGE_FACTOR
        ):
            chosen.append((float(score.intercept), score))
    chosen.sort(key=lambda item: -item[0])
    return [score.statement for _score, score in chosen[:MAX_BRIDGING]]


def sides_and_groups(insight: Insight) -> dict[str, Any] | None:
    """Participants per declared side and opinion group (facilitators' cut only), as
    table rows: how the sides spread over the groups that votes reveal."""
    found = _insight(insight)
    table = found.cross_side.sides_and_groups if found.cross_side else None
    if not table:
        return None
    columns = [str(g.id) for g in found.groups]
    rows = []
    for row in table:
        counts = dict(row.counts)
        rows.append(
            {
                "side": row.side,
                "cells": [counts.get(column, 0) for column in columns],
                "none": counts.get("none", 0),
            }
        )
    return {
        "groups": [{"name": group_name(c), "index": int(c)} for c in columns],
        "rows": rows,
    }


def _representative(insight: DialogueInsight) -> list[dict[str, Any]]:
    return [
        {
            "name": group_name(entry.group),
            "index": entry.group,
            "items": [
                statement_item(insight, e.statement, direction=e.direction, by_group=True)
                for e in entry.statements
                if (e.score or 0) > 0  # Pol.is fills up with undistinctive ones
            ],
        }
        for entry in sorted(insight.representative, key=lambda r: r.group)
    ]


def sections(insight: Insight) -> dict[str, Any]:
    """The lists the dashboard and the results page show, from one result."""
    found = _insight(insight)
    cross = found.cross_side
    available = bool(cross and cross.available)
    bridging = {b.statement: b.bridges for b in found.bridging or ()}
    return {
        "status": found.status,
        "stale": found.stale,
        "counts": found.counts,
        "groups": [{"name": group_name(g.id), "index": g.id, "size": g.size} for g in found.groups],
        "common_ground": _items(found, [e.statement for e in found.common_ground]),
        "cross_available": available,
        "cross_note": _(cross.note)
        if cross and cross.note
        else "",  # English in the API, translated here
        "sides": {s.side: s.voters for s in cross.parties} if cross else {},
        "cross_common_ground": _items(found, list(cross.common_ground) if cross else []),
        "shared_rejection": _items(found, list(cross.shared_rejection) if cross else []),
        "divides": _items(found, list(cross.divides) if cross else []),
        "bridging": [
            statement_item(found, sid, bridges=bridging[sid]) for sid in _bridging_ids(found)
        ],
        "sides_and_groups": sides_and_groups(found),
        "representative": _representative(found),
        "divisive": _items(found, [e.statement for e in found.divisive]),
        "uncertain": _items(found, list(found.uncertain)),
    }


def facilitator_map(insight: Insight) -> str:
    """Every participant an anonymous dot, each group a shaded hull (facilitators only)."""
    found = _insight(insight)
    points = found.opinion_map.points if found.opinion_map else ()
    if not points:
        return ""
    n_groups = len(found.groups)
    grouped: list[list[tuple[float, float]]] = [[] for _ in range(n_groups)]
    ungrouped: list[tuple[float, float]] = []
    for point in points:
        target = grouped[point.group] if 0 <= point.group < n_groups else ungrouped
        target.append((float(point.x), float(point.y)))
    data = MapData(
        tuple(
            MapGroup(tuple(pts), size=g.size) for pts, g in zip(grouped, found.groups, strict=True)
        ),
        tuple(ungrouped),
    )
    description = _("%(people)d participants in %(groups)d opinion groups.") % {
        "people": len(points),
        "groups": n_groups,
    }
    return draw(data, title=_("Opinion map"), description=description, audience="facilitator")


def map_merges_dots(insight: Insight) -> bool:
    """Whether :func:`facilitator_map` merges close dots (so a dot is not one participant)."""
    found = _insight(insight)
    return len(found.opinion_map.points if found.opinion_map else ()) > DENSE_DOTS


def participant_map(position: OwnPosition | Mapping[str, Any]) -> tuple[str, str]:
    """The participant's own dot among the groups' areas, and a sentence saying where they are."""
    own = position if isinstance(position, OwnPosition) else position_from_json(position)
    if own.projection is None or not own.groups:
        if own.status in ("ready", "not-yet-counted"):
            return "", _(
                "You are not on the map yet: it counts votes in batches, and you appear once "
                "you have voted on a few more statements."
            )
        return "", ""
    data = MapData(tuple(MapGroup(center=g.center, size=g.size) for g in own.groups))
    if own.group is None:
        summary = _("You are not in any opinion group yet.")
    else:
        summary = _("You are closest to %(group)s.") % {"group": group_name(own.group)}
    description = _("%(groups)d opinion groups and your own position.") % {
        "groups": len(own.groups)
    }
    svg = draw(
        data,
        title=_("Where you stand"),
        description=f"{description} {summary}",
        audience="participant",
        own=own.projection,
        own_label=_("You"),
    )
    return svg, summary


def legend(groups: tuple[GroupSummary, ...]) -> list[dict[str, Any]]:
    """The map's legend: each group's letter and size (None where withheld)."""
    return [{"index": g.id, "letter": group_letter(g.id), "size": g.size} for g in groups]
