"""The server-drawn opinion map: hulls, ellipses, discs, anonymous dots, the viewer's own dot."""

from __future__ import annotations

import math
import re

from tracktwo.insight.opinion_map import (
    MapData,
    MapGroup,
    convex_hull,
    draw,
    group_letter,
    spread_ellipse,
)
from tracktwo.insight.presentation import bar, bar_svg, facilitator_map, participant_map


def test_it_finds_the_convex_hull() -> None:
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.5), (0.2, 0.8)]
    assert set(convex_hull(square)) == {(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)}
    assert convex_hull([(1.0, 1.0), (1.0, 1.0)]) == [(1.0, 1.0)]
    assert convex_hull([(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]) == [(0.0, 0.0), (1.0, 1.0)]


def test_it_fits_an_ellipse_to_the_spread() -> None:
    points = [(-2.0, 0.0), (2.0, 0.0), (0.0, -1.0), (0.0, 1.0)]
    ellipse = spread_ellipse(points, scale=1.0)
    assert (ellipse.cx, ellipse.cy) == (0.0, 0.0)
    assert math.isclose(ellipse.rx, math.sqrt(2.0))
    assert math.isclose(ellipse.ry, math.sqrt(0.5))
    assert math.isclose(ellipse.angle % 180, 0.0)


def _groups() -> MapData:
    a = tuple((x / 10, 1 + y / 10) for x in range(3) for y in range(3))
    b = tuple((2 + x / 10, -1 - y / 10) for x in range(2) for y in range(2))
    return MapData((MapGroup(a, size=9), MapGroup(b, size=4)), ungrouped=((5.0, 5.0),))


def test_it_draws_anonymous_dots_and_hulls_for_facilitators() -> None:
    svg = draw(_groups(), title="Opinion map", description="14 people", audience="facilitator")
    dots = re.findall(r"<circle [^>]*r=\"4\"[^>]*/>", svg)
    assert len(dots) == 14
    for dot in dots:  # nothing but geometry and colour on a dot
        assert set(re.findall(r"(\w[\w-]*)=", dot)) == {
            "cx",
            "cy",
            "r",
            "fill",
            "stroke",
            "stroke-width",
        }
    assert svg.count("<path d=") == 2  # one hull per group
    assert '<title id="map-title">Opinion map</title>' in svg
    assert ">A</text>" in svg and ">B</text>" in svg
    assert "<a " not in svg and "href" not in svg and "style=" not in svg
    # Dots come in coordinate order, not in the order the people were given.
    coords = [tuple(map(float, re.findall(r'c[xy]="([\d.]+)"', dot))) for dot in dots]
    assert coords == sorted(coords)


def test_it_keeps_every_shape_inside_the_picture() -> None:
    svg = draw(_groups(), title="t", description="d", audience="facilitator")
    for x, y in re.findall(r'cx="([\d.-]+)" cy="([\d.-]+)"', svg):
        assert 0 <= float(x) <= 400 and 0 <= float(y) <= 300


def test_it_shows_a_participant_only_areas_and_their_own_dot() -> None:
    svg = draw(
        _groups(),
        title="Where you stand",
        description="d",
        audience="participant",
        own=(0.1, 1.1),
        own_label="You",
    )
    assert not re.search(r'r="4"', svg)
    assert svg.count("<ellipse") == 2
    assert svg.count('r="9"') == 1
    assert ">You</text>" in svg


def test_it_draws_groups_known_only_by_centre_and_size() -> None:
    data = MapData((MapGroup(center=(0.0, 1.0), size=20), MapGroup(center=(0.0, -1.0))))
    svg = draw(data, title="t", description="d", audience="participant", own=(0.0, 0.8))
    radii = [float(r) for r in re.findall(r'<circle [^>]*r="([\d.]+)" fill="#', svg)]
    assert len(radii) == 3  # two discs and the viewer's dot
    assert radii[0] > radii[1]  # the bigger group has the bigger disc
    assert group_letter(0) == "A" and group_letter(27) == "G28"


def test_it_escapes_the_title() -> None:
    svg = draw(MapData(()), title="<b>x</b>", description="&", audience="facilitator")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&amp;" in svg


def test_it_turns_the_live_payload_into_maps() -> None:
    payload = {
        "groups": [{"id": 0, "size": 2, "center": [0, 1]}, {"id": 1, "size": 1, "center": [0, -1]}],
        "map": {"participants": [[0.0, 1.0, 0], [0.1, 1.1, 0], [0.0, -1.0, 1], [3.0, 3.0, -1]]},
    }
    assert len(re.findall(r'r="4"', facilitator_map(payload))) == 4
    assert facilitator_map({"groups": []}) == ""
    position = {
        "status": "ready",
        "group": 1,
        "projection": [0.0, -0.9],
        "groups": payload["groups"],
    }
    svg, summary = participant_map(position)
    assert svg.count('r="9"') == 1 and "Group B" in summary
    none_yet, note = participant_map(
        {"status": "not-yet-counted", "groups": [], "projection": None}
    )
    assert none_yet == "" and "not on the map yet" in note


def test_it_draws_support_bars_and_withholds_small_cells() -> None:
    shown = bar(
        "Upstream",
        {"agree": 6, "disagree": 2, "pass": 2, "n": 10, "share": 0.6, "low": 0.35, "high": 0.8},
    )
    assert (shown["share"], shown["low"], shown["high"]) == (60, 35, 80)
    assert 'width="60.0"' in shown["svg"] and "style=" not in shown["svg"]
    withheld = bar(
        "Downstream", {"agree": None, "disagree": None, "pass": None, "n": None, "share": None}
    )
    assert withheld["withheld"] and withheld["svg"] == ""
    assert "<path" not in bar_svg({"agree": 0, "disagree": 0, "pass": 0, "n": 0})
