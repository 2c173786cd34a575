"""A brief's findings from the live analysis service, so briefs say what the dashboards say.

:func:`tracktwo.insight.service.dialogue_analysis` keeps every dialogue's analysis up
to date. Its ``participant`` payload is already small-cell suppressed (and batched), so
a brief takes its lists, per-side tallies, group sizes and representative statements
from there; only the opinion map's anonymous points come from the ``facilitator``
payload (and only those of groups the brief reports). Anything withheld there stays
withheld here. Returns None while the service has no ready result, and the caller
then runs the engine itself (:func:`tracktwo.transfer.findings.findings`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tracktwo.analysis.cross_party import DEFAULT_MIN_VOTES, DEFAULT_THRESHOLD
from tracktwo.analysis.intervals import DEFAULT_LEVEL
from tracktwo.dialogues.models import Dialogue
from tracktwo.insight import service as live
from tracktwo.transfer.findings import (
    MAX_GROUP_STATEMENTS,
    MAX_LISTED,
    Finding,
    Findings,
    GroupStatement,
    GroupView,
    support_from_tally,
)


def _text(payload: dict[str, Any], sid: Any) -> str | None:
    entry = payload.get("statements", {}).get(str(sid))
    return None if entry is None else entry.get("text")


def _findings(payload: dict[str, Any], key: str, sides: list[str]) -> tuple[Finding, ...]:
    out: list[Finding] = []
    for sid in payload["cross_side"].get(key, [])[:MAX_LISTED]:
        text = _text(payload, sid)
        if text is None:
            continue
        support = payload.get("support", {}).get(str(sid), {})
        tallies = support.get("sides", {})
        out.append(
            Finding(
                text,
                tuple(support_from_tally(side, tallies.get(side)) for side in sides),
                support_from_tally("All participants", support.get("overall")),
            )
        )
    return tuple(out)


def _groups(
    payload: dict[str, Any], threshold: int
) -> tuple[tuple[GroupView, ...], int, dict[int, int]]:
    views: list[GroupView] = []
    small = 0
    letters: dict[int, int] = {}
    for group in payload.get("groups", []):
        size = group.get("size")
        if size is None or size < threshold:
            small += 1
            continue
        g = int(group["id"])
        letters[g] = len(views)
        picked: list[GroupStatement] = []
        for entry in payload.get("representative", {}).get(str(g), [])[:MAX_GROUP_STATEMENTS]:
            text = _text(payload, entry["statement"])
            if text is None:
                continue
            support = payload.get("support", {}).get(str(entry["statement"]), {})
            tally = support.get("groups", {}).get(str(g), {})
            count, n = tally.get(entry["direction"]), tally.get("n")
            share = count / n if count is not None and n else None
            picked.append(GroupStatement(text, entry["direction"], share))
        views.append(GroupView(chr(ord("A") + len(views)), int(size), tuple(picked)))
    return tuple(views), small, letters


def _map_points(
    facilitator: dict[str, Any], payload: dict[str, Any], letters: dict[int, int]
) -> list[tuple[float, float, int]]:
    """The map's anonymous points of the groups the brief reports, by report position.

    The map comes from the facilitators' chain, the groups from the participants' (batched)
    one; when their groups differ (votes arrived in between), points are drawn uncoloured
    (-1) rather than risk colouring someone into the wrong group.
    """
    shown = {int(g["id"]): g.get("size") for g in payload.get("groups", [])}
    theirs = {int(g["id"]): g.get("size") for g in facilitator.get("groups", [])}
    same = all(theirs.get(g) == shown.get(g) for g in letters)
    points = facilitator.get("map", {}).get("participants", [])
    if same:
        return [(x, y, letters[int(g)]) for x, y, g in points if int(g) in letters]
    return [(x, y, -1) for x, y, g in points if int(g) >= 0]


def live_findings(dialogue: Dialogue) -> Findings | None:
    """The dialogue's findings from the live service, or None if it has none ready."""
    threshold = max(1, int(dialogue.small_cell_threshold))
    payload = live.dialogue_analysis(dialogue, "participant")
    if payload.get("status") != "ready":
        return None
    cross = payload.get("cross_side") or {}
    notes: list[str] = []
    sides: list[str] = []
    cg: tuple[Finding, ...] = ()
    rej: tuple[Finding, ...] = ()
    div: tuple[Finding, ...] = ()
    if cross.get("available"):
        sides = list(cross.get("parties", {}))
        cg = _findings(payload, "common_ground", sides)
        rej = _findings(payload, "shared_rejection", sides)
        div = _findings(payload, "divides", sides)
    else:
        notes.append(
            "Too few participants voted on each side to compare the sides; no cross-side "
            "findings are reported."
        )
    groups, small, letters = _groups(payload, threshold)
    if not payload.get("groups"):
        notes.append("Too few participants voted for opinion groups to form.")
    kept = _map_points(live.dialogue_analysis(dialogue, "facilitator"), payload, letters)
    counts = payload.get("counts", {})
    settings = cross.get("settings", {})
    return Findings(
        n_statements=int(counts.get("statements", 0)),
        n_votes=int(counts.get("votes", 0)),
        n_voters=int(counts.get("participants") or 0),
        level=float(settings.get("level", DEFAULT_LEVEL)),
        threshold=float(settings.get("threshold", DEFAULT_THRESHOLD)),
        min_votes=int(settings.get("min_votes", DEFAULT_MIN_VOTES)),
        sides=tuple(sides),
        common_ground=cg,
        shared_rejection=rej,
        divides=div,
        groups=groups,
        small_groups=small,
        map_points=np.array([[x, y] for x, y, _ in kept], dtype=np.float64).reshape(-1, 2),
        map_groups=np.array([g for _, _, g in kept], dtype=np.int64),
        notes=tuple(notes),
    )
