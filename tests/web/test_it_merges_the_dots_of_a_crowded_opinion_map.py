"""A crowded facilitators' map (more dots than opinion_map.DENSE_DOTS) draws one dot per
colour and 2-pixel cell: far fewer elements, none moved by more than a pixel, every
participant's dot still covered by a dot of its group's colour; small maps keep one dot
per participant."""

from __future__ import annotations

import math
import random
import re

from tracktwo.insight.opinion_map import DENSE_DOTS, MapData, MapGroup, _Frame, colour, draw

DOT = re.compile(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="4" fill="(#[0-9a-f]{6})"')


def crowd(n: int) -> MapData:
    rng = random.Random(3)
    a = tuple((rng.gauss(-1.0, 0.4), rng.gauss(0.0, 0.3)) for _ in range(n // 2))
    b = tuple((rng.gauss(1.0, 0.3), rng.gauss(0.2, 0.5)) for _ in range(n - n // 2))
    return MapData((MapGroup(a, size=len(a)), MapGroup(b, size=len(b))))


def test_it_merges_close_dots_of_a_crowded_map() -> None:
    data = crowd(30_000)
    svg = draw(data, title="Opinion map", description="d", audience="facilitator")
    dots = [(float(x), float(y), fill) for x, y, fill in DOT.findall(svg)]
    assert 0 < len(dots) < 30_000 // 3
    assert len(set(dots)) == len(dots)
    drawn = {(round(x), round(y), fill) for x, y, fill in dots}
    everything = [p for g in data.groups for p in g.points]
    frame = _Frame(everything)
    for index, group in enumerate(data.groups):
        for point in group.points[::97]:
            x, y = frame(point)
            near = {
                (gx, gy, colour(index))
                for gx in (math.floor(x / 2) * 2, math.ceil(x / 2) * 2)
                for gy in (math.floor(y / 2) * 2, math.ceil(y / 2) * 2)
            }
            assert near & drawn, (point, x, y)  # a dot of its colour within a pixel or so
    assert svg.count("<path d=") == 2  # the hulls as before


def test_it_keeps_one_dot_per_participant_on_a_small_map() -> None:
    svg = draw(crowd(DENSE_DOTS), title="t", description="d", audience="facilitator")
    assert len(DOT.findall(svg)) == DENSE_DOTS
