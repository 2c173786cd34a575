"""The actor map drawn on the server: an SVG with the tracks as bands and the sides as colours.

networkx lays the actors out (one horizontal band per track, Track One at the top, one
column per side, a force-directed layout within) and finds paths: from a dialogue's delegation to Track One
decision-makers along ties and channels (tensions carry nothing). The SVG is plain markup
(no script, no external reference), every name escaped, so the page's CSP holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import networkx as nx

TRACK_ORDER = ("1", "1.5", "2", "3", "4", "5", "6", "7", "8", "9")
SIDE_COLOURS = ("#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085")
NO_SIDE = "#7f8c8d"
TIE_STYLE = {
    "tie": 'stroke="#555" stroke-width="1.5"',
    "tension": 'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="6 4"',
    "channel": 'stroke="#1b6ca8" stroke-width="2.5"',
}
WIDTH, BAND, MARGIN = 960, 64, 150


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    kind: str
    side: int | None  # the side's position among the parties (0-based), None: no side
    track: str
    decision_maker: bool


@dataclass(frozen=True)
class Edge:
    source: int
    target: int
    kind: str


def build(nodes: Sequence[Node], edges: Sequence[Edge]) -> nx.Graph:
    graph = nx.Graph()
    for node in nodes:
        graph.add_node(node.id, band=TRACK_ORDER.index(node.track))
    for edge in edges:
        graph.add_edge(edge.source, edge.target, kind=edge.kind)
    return graph


def paths(nodes: Sequence[Node], edges: Sequence[Edge], starts: Sequence[int]) -> list[list[int]]:
    """The shortest path (actor ids) from each start to its nearest decision-maker, along
    ties and channels; starts that reach none are left out."""
    graph = nx.Graph()
    graph.add_nodes_from(node.id for node in nodes)
    graph.add_edges_from((e.source, e.target) for e in edges if e.kind != "tension")
    targets = {node.id for node in nodes if node.decision_maker}
    found: list[list[int]] = []
    for start in dict.fromkeys(starts):
        if start not in graph or not targets:
            continue
        lengths = nx.single_source_shortest_path(graph, start)
        reachable = [lengths[t] for t in sorted(targets) if t in lengths and t != start]
        if start in targets:
            found.append([start])
        elif reachable:
            found.append(min(reachable, key=len))
    return found


def _positions(nodes: Sequence[Node], edges: Sequence[Edge]) -> dict[int, tuple[float, float]]:
    """One column per side (the side-less last), one band per track; within its column a
    node sits where a force-directed layout (networkx, fixed seed) puts it, so tied actors
    sit near each other."""
    if not nodes:
        return {}
    graph = build(nodes, edges)
    spring = nx.spring_layout(graph, seed=1)
    xs = [float(x) for x, _y in spring.values()]
    low, span = min(xs), (max(xs) - min(xs)) or 1.0
    sides = sorted({n.side for n in nodes if n.side is not None})
    columns = [*sides, None]
    width = (WIDTH - MARGIN - 40) / len(columns)
    out: dict[int, tuple[float, float]] = {}
    for node in nodes:
        share = 0.5 if len(nodes) == 1 else 0.05 + 0.6 * (float(spring[node.id][0]) - low) / span
        left = MARGIN + columns.index(node.side) * width + share * width
        out[node.id] = (round(left, 1), TRACK_ORDER.index(node.track) * BAND + BAND / 2 + 10)
    return out


def svg(
    nodes: Sequence[Node],
    edges: Sequence[Edge],
    track_labels: dict[str, str],
    side_names: Sequence[str],
    title: str,
) -> str:
    """The map as an SVG document fragment (the caller passes translated labels)."""
    height = len(TRACK_ORDER) * BAND + 40
    where = _positions(nodes, edges)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="actor-map-title" class="actor-map">',
        f'<title id="actor-map-title">{escape(title)}</title>',
    ]
    for index, track in enumerate(TRACK_ORDER):
        top = index * BAND + 10
        fill = "#f4f6f7" if index % 2 == 0 else "#ffffff"
        label = escape(track_labels.get(track, track))
        out.append(f'<rect x="0" y="{top}" width="{WIDTH}" height="{BAND}" fill="{fill}"/>')
        out.append(f'<text x="6" y="{top + 18}" font-size="11" fill="#333">{label}</text>')
    for edge in edges:
        (x1, y1), (x2, y2) = where[edge.source], where[edge.target]
        style = TIE_STYLE.get(edge.kind, TIE_STYLE["tie"])
        out.append(
            f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" {style}><title>{escape(edge.kind)}</title></line>'
        )
    for node in nodes:
        x, y = where[node.id]
        colour = NO_SIDE if node.side is None else SIDE_COLOURS[node.side % len(SIDE_COLOURS)]
        ring = (
            ' stroke="#000" stroke-width="3"'
            if node.decision_maker
            else ' stroke="#fff" stroke-width="1"'
        )
        if node.kind == "organisation":
            shape = f'<rect x="{x - 9}" y="{y - 9}" width="18" height="18" fill="{colour}"{ring}/>'
        else:
            shape = f'<circle cx="{x}" cy="{y}" r="9" fill="{colour}"{ring}/>'
        name = escape(node.name)
        out.append(f"<g><title>{name}</title>{shape}")
        out.append(f'<text x="{x + 12}" y="{y + 4}" font-size="11">{name}</text></g>')
    for index, side in enumerate(side_names):
        colour = SIDE_COLOURS[index % len(SIDE_COLOURS)]
        left = MARGIN + index * 160
        out.append(f'<circle cx="{left}" cy="{height - 14}" r="5" fill="{colour}"/>')
        out.append(f'<text x="{left + 9}" y="{height - 10}" font-size="11">{escape(side)}</text>')
    out.append("</svg>")
    return "".join(out)
