"""The change figure: per measure and side, the mean change with its interval (an SVG drawn
by the template from the coordinates computed here; no JavaScript, no inline style)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

WIDTH = 320
LABEL = 130
ROW = 22


def change_figure(
    rows: Sequence[Mapping[str, Any]], measures: Mapping[str, str], comparison: str = "post-pre"
) -> dict[str, Any] | None:
    """Coordinates of a forest plot of the shown rows of ``comparison``; None if none is shown.

    Each measure is scaled to its own largest absolute interval end, so the figure shows the
    direction and certainty of change per measure, and the tables beside it the numbers.
    """
    shown = [r for r in rows if r["comparison"] == comparison and not r["withheld"]]
    shown = [r for r in shown if r["ci_low"] is not None and r["ci_high"] is not None]
    if not shown:
        return None
    span: dict[str, float] = {}
    for r in shown:
        extent = max(abs(r["ci_low"]), abs(r["ci_high"]), 1e-9)
        span[r["measure"]] = max(span.get(r["measure"], 0.0), extent)
    plot = WIDTH - LABEL - 10
    zero = LABEL + plot / 2

    def x(value: float, measure: str) -> float:
        return round(zero + value / span[measure] * plot / 2, 1)

    lines = []
    for i, r in enumerate(shown):
        measure = r["measure"]
        lines.append(
            {
                "y": ROW * i + ROW // 2 + 4,
                "label": f"{measures.get(measure, measure)} · {r['side']}",
                "low": x(r["ci_low"], measure),
                "high": x(r["ci_high"], measure),
                "mean": x(r["mean_change"], measure),
                "text": f"{r['mean_change']:+.2f} [{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]",
            }
        )
    return {"width": WIDTH, "height": ROW * len(shown) + 8, "zero": zero, "lines": lines}
