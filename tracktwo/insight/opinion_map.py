"""The opinion map, drawn on the server as inline SVG (no script, no inline style: CSP-safe).

Two views of the same picture:

- ``facilitator``: every participant a dot, each group a shaded convex hull. Dots carry
  no id, link, title or hover text, and are drawn in coordinate order, not participant
  order, so nothing in the markup ties a dot to a person.
- ``participant``: groups as shaded areas -- an ellipse of mean and spread, or a disc at
  the group's centre sized by its head count -- so no other person's position can be read
  off, and the viewer's own dot, highlighted.

Positions are the engine's 2-D projection; the map keeps their aspect ratio.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.utils.html import escape

WIDTH = 400.0
HEIGHT = 300.0
PAD = 28.0
DENSE_DOTS = 4000  # above this many points, one dot per colour and DENSE_GRID-pixel cell
DENSE_GRID = 2
COLOURS = ("#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#b8860b")
Point = tuple[float, float]


def colour(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def group_letter(index: int) -> str:
    """Groups are named A, B, C... in the order the engine lists them."""
    return chr(ord("A") + index) if index < 26 else f"G{index + 1}"


@dataclass(frozen=True)
class MapGroup:
    """One opinion group: its members' positions (unordered), or only its centre and size.

    ``size`` None means withheld (a small group): it is drawn at a middle size.
    """

    points: tuple[Point, ...] = ()
    center: Point | None = None
    size: int | None = None

    def middle(self) -> Point:
        if self.center is not None:
            return self.center
        ellipse = spread_ellipse(self.points)
        return ellipse.cx, ellipse.cy


@dataclass(frozen=True)
class MapData:
    groups: tuple[MapGroup, ...]
    ungrouped: tuple[Point, ...] = field(default_factory=tuple)


def convex_hull(points: Sequence[Point]) -> list[Point]:
    """Andrew's monotone chain: the hull's corners counter-clockwise, no repeated point."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return unique

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


@dataclass(frozen=True)
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float
    angle: float  # degrees


def spread_ellipse(points: Sequence[Point], scale: float = 2.0) -> Ellipse:
    """The ellipse of the points' mean and covariance (``scale`` standard deviations)."""
    n = len(points)
    cx = sum(p[0] for p in points) / n
    cy = sum(p[1] for p in points) / n
    sxx = sum((p[0] - cx) ** 2 for p in points) / n
    syy = sum((p[1] - cy) ** 2 for p in points) / n
    sxy = sum((p[0] - cx) * (p[1] - cy) for p in points) / n
    half_trace = (sxx + syy) / 2
    root = math.sqrt(max(((sxx - syy) / 2) ** 2 + sxy**2, 0.0))
    major, minor = half_trace + root, max(half_trace - root, 0.0)
    angle = math.degrees(0.5 * math.atan2(2 * sxy, sxx - syy))
    return Ellipse(cx, cy, scale * math.sqrt(major), scale * math.sqrt(minor), angle)


class _Frame:
    """Maps engine coordinates into the SVG box, same scale on both axes, y pointing up."""

    def __init__(self, points: Sequence[Point], pad: float = PAD) -> None:
        xs = [p[0] for p in points] or [0.0]
        ys = [p[1] for p in points] or [0.0]
        self.x0, self.x1 = min(xs), max(xs)
        self.y0, self.y1 = min(ys), max(ys)
        span = max(self.x1 - self.x0, self.y1 - self.y0, 1e-9)
        self.scale = min((WIDTH - 2 * pad) / span, (HEIGHT - 2 * pad) / span)
        if self.x1 - self.x0 > 1e-9:
            self.scale = min(self.scale, (WIDTH - 2 * pad) / (self.x1 - self.x0))
        if self.y1 - self.y0 > 1e-9:
            self.scale = min(self.scale, (HEIGHT - 2 * pad) / (self.y1 - self.y0))
        self.mx = (self.x0 + self.x1) / 2
        self.my = (self.y0 + self.y1) / 2

    def __call__(self, p: Point) -> Point:
        x = WIDTH / 2 + (p[0] - self.mx) * self.scale
        y = HEIGHT / 2 - (p[1] - self.my) * self.scale
        return round(x, 1), round(y, 1)


def _hull_shape(corners: list[Point], fill: str) -> str:
    style = (
        f'fill="{fill}" fill-opacity="0.16" stroke="{fill}" stroke-opacity="0.22" '
        'stroke-width="20" stroke-linejoin="round" stroke-linecap="round"'
    )
    if len(corners) == 1:
        x, y = corners[0]
        return f'<circle cx="{x}" cy="{y}" r="12" {style}/>'
    path = "M" + " L".join(f"{x} {y}" for x, y in corners) + " Z"
    return f'<path d="{path}" {style}/>'


def _ellipse_shape(ellipse: Ellipse, frame: _Frame, fill: str) -> str:
    cx, cy = frame((ellipse.cx, ellipse.cy))
    rx = max(ellipse.rx * frame.scale, 14.0)
    ry = max(ellipse.ry * frame.scale, 14.0)
    return (
        f'<ellipse cx="{cx}" cy="{cy}" rx="{rx:.1f}" ry="{ry:.1f}" '
        f'transform="rotate({-ellipse.angle:.1f} {cx} {cy})" fill="{fill}" fill-opacity="0.22" '
        f'stroke="{fill}" stroke-width="2"/>'
    )


def _disc(group: MapGroup, frame: _Frame, fill: str, largest: int) -> str:
    """A group known only by its centre and size: a disc whose area follows the size."""
    cx, cy = frame(group.middle())
    share = (group.size or largest / 2) / max(largest, 1)
    r = 16.0 + 34.0 * math.sqrt(max(0.0, min(share, 1.0)))
    return (
        f'<circle cx="{cx}" cy="{cy}" r="{r:.1f}" fill="{fill}" fill-opacity="0.22" '
        f'stroke="{fill}" stroke-width="2"/>'
    )


def _label(index: int, at: Point) -> str:
    x, y = at
    return (
        f'<text x="{x}" y="{y}" text-anchor="middle" dominant-baseline="central" '
        f'font-size="18" font-weight="700" fill="#1a1a1a" stroke="#ffffff" stroke-width="4" '
        f'paint-order="stroke">{group_letter(index)}</text>'
    )


def _away_from_labels(at: Point, labels: list[Point], distance: float = 22.0) -> Point:
    """Where to write a caption next to ``at``: away from the nearest group letter, so the
    two never overlap (straight up when there is no letter nearby)."""
    x, y = at
    dx, dy = 0.0, -1.0
    if labels:
        nx, ny = min(labels, key=lambda p: (p[0] - x) ** 2 + (p[1] - y) ** 2)
        length = math.hypot(x - nx, y - ny)
        if length > 1e-6:
            dx, dy = (x - nx) / length, (y - ny) / length
    lx = min(max(x + dx * distance, 20.0), WIDTH - 20.0)
    ly = min(max(y + dy * distance, 12.0), HEIGHT - 12.0)
    return round(lx, 1), round(ly, 1)


def crowded(points: Sequence[Point], frame: _Frame) -> tuple[list[Point], list[Point], Point]:
    """A crowded map's group in picture coordinates, in whole arrays: its dots merged to
    one per :data:`DENSE_GRID`-pixel cell, its hull's corners and its middle.

    Dots are 8 pixels across in a 400 x 300 picture, so beyond a few thousand they overlap
    anyway; merging moves none by more than a pixel and keeps the map's markup (and the
    browser's work) to the cells covered, not one element per participant (megabytes at
    100,000 participants, on every refresh of the dashboard). The hull is that of the
    cells (its corners are each column's lowest and highest cell), within a pixel of the
    points' own."""
    if not points:
        return [], [], (WIDTH / 2, HEIGHT / 2)
    a = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    x = WIDTH / 2 + (a[:, 0] - frame.mx) * frame.scale
    y = HEIGHT / 2 - (a[:, 1] - frame.my) * frame.scale
    g = DENSE_GRID
    # One integer per cell (the picture's cells are non-negative and far below 2**20), so
    # a plain sort finds them, ordered by x, then y.
    keys = np.unique((np.round(x / g).astype(np.int64) << 20) + np.round(y / g).astype(np.int64))
    cx, cy = (keys >> 20) * g, (keys & ((1 << 20) - 1)) * g
    first = np.flatnonzero(np.r_[True, cx[1:] != cx[:-1]])
    ends = np.unique(np.r_[first, np.r_[first[1:], len(cx)] - 1])
    corners = convex_hull([(float(cx[i]), float(cy[i])) for i in ends])
    middle = (round(float(x.mean()), 1), round(float(y.mean()), 1))
    return list(zip(cx.tolist(), cy.tolist(), strict=True)), corners, middle


def draw(
    data: MapData,
    *,
    title: str,
    description: str,
    audience: str = "facilitator",
    own: Point | None = None,
    own_label: str = "",
) -> str:
    """The map as an SVG string (already escaped; mark it safe in the template).

    Kept in one piece: the SVG is drawn in one pass, back to front (frame, groups, points,
    labels).
    """
    everything = [p for g in data.groups for p in g.points] + list(data.ungrouped)
    everything += [g.center for g in data.groups if g.center is not None and not g.points]
    if own is not None:
        everything.append(own)
    discs = any(g.center is not None and not g.points for g in data.groups)
    frame = _Frame(everything, pad=62.0 if discs else PAD)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" '
        'role="img" aria-labelledby="map-title map-desc" focusable="false">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH:.0f}" height="{HEIGHT:.0f}" fill="#ffffff" stroke="#d5dbe3"/>',
        f'<line x1="{WIDTH / 2}" y1="8" x2="{WIDTH / 2}" y2="{HEIGHT - 8}" stroke="#eceff3"/>',
        f'<line x1="8" y1="{HEIGHT / 2}" x2="{WIDTH - 8}" y2="{HEIGHT / 2}" stroke="#eceff3"/>',
    ]
    labels: list[str] = []
    largest = max((g.size or 0 for g in data.groups), default=0)
    dense = audience == "facilitator" and len(everything) > DENSE_DOTS
    dots: list[tuple[Point, str]] = []
    for index, group in enumerate(data.groups):
        fill = colour(index)
        if not group.points:
            if group.center is None:
                continue
            parts.append(_disc(group, frame, fill, largest))
            middle = frame(group.middle())
        elif dense:
            cells, corners, middle = crowded(group.points, frame)
            parts.append(_hull_shape(corners, fill))
            dots += [(p, fill) for p in cells]
        elif audience == "facilitator":
            corners = [frame(p) for p in convex_hull(group.points)]
            parts.append(_hull_shape(corners, fill))
            dots += [(frame(p), fill) for p in group.points]
            middle = frame(group.middle())
        else:
            parts.append(_ellipse_shape(spread_ellipse(group.points), frame, fill))
            middle = frame(group.middle())
        labels.append(_label(index, middle))
    if audience == "facilitator":
        grey = "#767676"
        if dense:
            dots += [(p, grey) for p in crowded(data.ungrouped, frame)[0]]
        else:
            dots += [(frame(p), grey) for p in data.ungrouped]
        for (x, y), fill in sorted(dots):
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="4" fill="{fill}" stroke="#ffffff" stroke-width="1"/>'
            )
    parts += labels
    if own is not None:
        x, y = frame(own)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="9" fill="#1a1a1a" stroke="#ffbf47" stroke-width="4"/>'
        )
        if own_label:
            lx, ly = _away_from_labels((x, y), [frame(g.middle()) for g in data.groups])
            parts.append(
                f'<text x="{lx}" y="{ly}" text-anchor="middle" dominant-baseline="central" '
                f'font-size="14" font-weight="700" fill="#1a1a1a" stroke="#ffffff" '
                f'stroke-width="4" paint-order="stroke">{escape(own_label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
