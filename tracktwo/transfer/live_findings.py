"""A brief's findings from the live analysis service, so briefs say what the dashboards say.

:func:`tracktwo.dialogues.live.dialogue_analysis` keeps every dialogue's analysis up
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
from tracktwo.dialogues import live
from tracktwo.dialogues.models import Dialogue
from tracktwo.transfer.findings import (
    MAX_GROUP_STATEMENTS,
    MAX_LISTED,
    Finding,
    Findings,
    GroupStatement,
    GroupView,
    SideSupport,
)


def _side(side: str, tally: dict[str, Any] | None, threshold: int) -> SideSupport:
    tally = tally or {}
    n = tally.get("n")
    share = tally.get("share")
    if n is None or share is None or n < threshold:
        return SideSupport(side, None, 0.0, 1.0, None)
    disagree = tally.get("disagree")
    return SideSupport(
        side,
        float(share),
        float(tally["low"]),
        float(tally["high"]),
        int(n),
        disagree_share=None if disagree is None else disagree / n,
    )


def _text(payload: dict[str, Any], sid: Any) -> str | None:
    entry = payload.get("statements", {}).get(str(sid))
    return None if entry is None else entry.get("text")


def _findings(
    payload: dict[str, Any], key: str, sides: list[str], threshold: int
) -> tuple[Finding, ...]:
    out: list[Finding] = []
    for sid in payload["cross_side"].get(key, [])[:MAX_LISTED]:
        text = _text(payload, sid)
        if text is None:
            continue
        tallies = payload.get("support", {}).get(str(sid), {}).get("sides", {})
        out.append(Finding(text, tuple(_side(s, tallies.get(s), threshold) for s in sides)))
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
        for entry in payload.get("representative", {}).get(str(g), []):
            text = _text(payload, entry["statement"])
            tally = (
                payload.get("support", {}).get(str(entry["statement"]), {}).get("groups", {})
            ).get(str(g), {})
            count, n = tally.get(entry["direction"]), tally.get("n")
            if text is None or count is None or not n or n < threshold or count / n <= 0.5:
                continue  # withheld, or not what most of the group thinks
            picked.append(GroupStatement(text, entry["direction"], count / n))
        views.append(
            GroupView(chr(ord("A") + len(views)), int(size), tuple(picked[:MAX_GROUP_STATEMENTS]))
        )
    return tuple(views), small, letters


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
        cg = _findings(payload, "common_ground", sides, threshold)
        rej = _findings(payload, "shared_rejection", sides, threshold)
        div = _findings(payload, "divides", sides, threshold)
    else:
        notes.append(
            "Too few participants voted on each side to compare the sides; no cross-side "
            "findings are reported."
        )
    groups, small, letters = _groups(payload, threshold)
    if not payload.get("groups"):
        notes.append("Too few participants voted for opinion groups to form.")
    points = live.dialogue_analysis(dialogue, "facilitator").get("map", {}).get("participants", [])
    kept = [(x, y, letters[int(g)]) for x, y, g in points if int(g) in letters]
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
