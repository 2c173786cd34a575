"""The brief's figures, drawn with matplotlib (Agg) into SVG text in memory.

- The opinion map: each participant who voted enough is a dot, coloured by opinion
  group, with the group's letter at its centre. No dot carries a label or an id, and
  groups too small to report are not drawn.
- Per-side support: for the statements listed as common ground (C1, C2, ...) and as
  divides (D1, ...), each side's agree share as a bar with its interval as a whisker.

SVGs are deterministic (fixed ``svg.hashsalt``, no date) so an issued brief's figures
do not depend on when they were drawn. ``matplotlib.rc_context`` changes matplotlib's
process-wide settings, and ``tracktwo serve`` runs requests in threads: figures are drawn
one at a time (``_DRAWING``), or two briefs drawn at once could take each other's settings. Text is drawn as paths: no font is needed to
show them.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from tracktwo.transfer.findings import Finding, Findings

# Okabe-Ito: distinguishable with colour-blindness and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
INK = "#222222"
GRID = "#CCCCCC"
MAX_BARS_COMMON = 5
MAX_BARS_DIVIDES = 3
_RC: Any = {
    "svg.hashsalt": "tracktwo-brief",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


_DRAWING = threading.RLock()


def _one_at_a_time(draw: Callable[[Findings], str]) -> Callable[[Findings], str]:
    @functools.wraps(draw)
    def drawn(result: Findings) -> str:
        with _DRAWING:
            return draw(result)

    return drawn


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    with matplotlib.rc_context(_RC):
        figure.savefig(out, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return out.getvalue()


@_one_at_a_time
def opinion_map(result: Findings) -> str:
    """SVG of the opinion map, or "" when there is nothing to draw."""
    points = result.map_points
    if points.shape[0] == 0 or not result.groups:
        return ""
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(5.2, 3.4))
        axes = figure.add_subplot()
        grey = points[result.map_groups < 0]
        if grey.shape[0]:
            axes.scatter(grey[:, 0], grey[:, 1], s=14, color="#8a8a8a", alpha=0.75, linewidths=0)
        for g, group in enumerate(result.groups):
            mine = points[result.map_groups == g]
            if mine.shape[0] == 0:
                continue
            colour = PALETTE[g % len(PALETTE)]
            axes.scatter(mine[:, 0], mine[:, 1], s=14, color=colour, alpha=0.75, linewidths=0)
            centre = mine.mean(axis=0)
            axes.annotate(
                f"Group {group.label}",
                centre,
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
                color=INK,
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": colour, "alpha": 0.9},
            )
        axes.set_xticks([])
        axes.set_yticks([])
        axes.set_xlabel("first axis of disagreement")
        axes.set_ylabel("second axis")
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.margins(0.12)
        return _svg(figure)


def _rows(result: Findings) -> list[tuple[str, Finding]]:
    """Common ground (always drawable: a withheld side is a band) and the divides that
    have at least one side to draw."""
    rows = [(f"C{i + 1}", f) for i, f in enumerate(result.common_ground[:MAX_BARS_COMMON])]
    divides = [
        (f"D{i + 1}", f)
        for i, f in enumerate(result.divides)
        if any(side.share is not None for side in f.sides)
    ]
    return rows + divides[:MAX_BARS_DIVIDES]


@_one_at_a_time
def support_bars(result: Findings) -> str:
    """SVG of per-side support on common ground and divides, or "" when nothing can be drawn.

    A side whose tally is withheld (small cells) gets no bar; on a common-ground row it
    gets a hatched band from the threshold to 100%, which is all the listing itself says.

    Kept in one piece: one matplotlib figure drawn top to bottom under one style context.
    """
    rows = _rows(result)
    sides = result.sides
    if not rows or not sides:
        return ""
    n_sides = len(sides)
    height = 0.8 / n_sides
    with matplotlib.rc_context(_RC):
        figure = Figure(figsize=(5.6, 0.9 + 0.42 * len(rows) * max(1, n_sides / 2)))
        axes = figure.add_subplot()
        banded = False
        for k in range(n_sides):
            colour = PALETTE[k % len(PALETTE)]
            ys: list[float] = []
            shares: list[float] = []
            errors: list[tuple[float, float]] = []
            for r, (label, finding) in enumerate(rows):
                support = finding.sides[k]
                y = r - 0.4 + height * (k + 0.5)
                if support.share is not None and support.low is not None:
                    high = support.high if support.high is not None else support.share
                    ys.append(y)
                    shares.append(support.share)
                    errors.append((support.share - support.low, high - support.share))
                elif label.startswith("C"):
                    axes.barh(
                        [y],
                        [1 - result.threshold],
                        left=result.threshold,
                        height=height * 0.9,
                        color="white",
                        edgecolor=colour,
                        hatch="///",
                        linewidth=0.6,
                    )
                    banded = True
            axes.barh(ys, shares, height=height * 0.9, color=colour)
            if ys:
                axes.errorbar(
                    shares,
                    ys,
                    xerr=np.array(errors).T,
                    fmt="none",
                    ecolor=INK,
                    elinewidth=0.8,
                    capsize=2,
                )
        handles = [
            Patch(color=PALETTE[k % len(PALETTE)], label=side) for k, side in enumerate(sides)
        ]
        if banded:
            withheld = f"counts withheld: at or above {round(result.threshold * 100)}%"
            handles.append(Patch(facecolor="white", edgecolor=INK, hatch="///", label=withheld))
        axes.axvline(result.threshold, color=INK, linestyle=":", linewidth=0.8)
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels([label for label, _ in rows])
        axes.set_ylim(len(rows) - 0.5, -0.5)
        axes.set_xlim(0, 1)
        axes.set_xticks([0, 0.25, 0.5, 0.75, 1])
        axes.set_xticklabels(["0%", "25%", "50%", "75%", "100%"])
        axes.set_xlabel(f"share agreeing, with {round(result.level * 100)}% interval")
        axes.grid(axis="x", color=GRID, linewidth=0.5)
        axes.set_axisbelow(True)
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        axes.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18 if len(rows) > 2 else -0.35),
            ncol=min(len(handles), 3),
            frameon=False,
        )
        return _svg(figure)
