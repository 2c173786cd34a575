"""Per side: attrition per wave, results withheld below the minimum cell, change by stance."""

from __future__ import annotations

import pytest

from tracktwo.analysis.evaluation import analyze_change


def _long(
    people: dict[str, tuple[str, dict[str, float]]],
) -> tuple[list[str], list[str], list[str], list[str], list[float]]:
    r, s, w, m, v = [], [], [], [], []
    for who, (side, answers) in people.items():
        for wave, value in answers.items():
            r.append(who)
            s.append(side)
            w.append(wave)
            m.append("thermometer")
            v.append(value)
    return r, s, w, m, v


def test_it_counts_respondents_per_wave_and_those_kept_from_pre() -> None:
    people = {f"u{i}": ("Upstream", {"pre": 40.0, "post": 50.0}) for i in range(6)}
    people["u6"] = ("Upstream", {"pre": 40.0})  # dropped out
    people["u7"] = ("Upstream", {"post": 60.0, "follow-up": 55.0})  # came late
    result = analyze_change(*_long(people), min_cell=5)
    counts = {(c.side, c.wave): (c.respondents, c.retained) for c in result.attrition}
    assert counts[("Upstream", "pre")] == (7, 7)
    assert counts[("Upstream", "post")] == (7, 6)
    assert counts[("Upstream", "follow-up")] == (1, 0)


def test_it_withholds_a_side_below_the_minimum_cell() -> None:
    people = {f"u{i}": ("Upstream", {"pre": 40.0, "post": 50.0 + i}) for i in range(6)}
    people |= {f"d{i}": ("Downstream", {"pre": 30.0, "post": 20.0 + i}) for i in range(3)}
    result = analyze_change(*_long(people), min_cell=5)
    rows = {(r.side, r.comparison): r for r in result.rows}
    shown = rows[("Upstream", "post-pre")]
    assert not shown.withheld and shown.n_paired == 6
    assert shown.mean_change == pytest.approx(12.5)
    hidden = rows[("Downstream", "post-pre")]
    assert hidden.withheld and hidden.n_paired is None and hidden.mean_change is None
    assert rows[("all", "post-pre")].n_paired == 9
    assert rows[("Upstream", "follow-up-pre")].withheld  # nobody answered the follow-up


def test_it_averages_items_of_a_measure_and_skips_blank_items() -> None:
    # a: pre (2 + 4) / 2 = 3, post 5 (one item skipped); b: pre 1, post (2 + 4) / 2 = 3
    result = analyze_change(
        ["a"] * 4 + ["b"] * 4,
        ["S"] * 8,
        ["pre", "pre", "post", "post"] * 2,
        ["trust"] * 8,
        [2.0, 4.0, 5.0, float("nan"), 1.0, 1.0, 2.0, 4.0],
        min_cell=1,
    )
    change = next(row for row in result.rows if row.side == "S" and row.comparison == "post-pre")
    assert change.n_paired == 2
    assert change.mean_change == pytest.approx(2.0)


def test_it_splits_change_by_prior_stance() -> None:
    people = {f"h{i}": ("Upstream", {"pre": 20.0, "post": 40.0 + i}) for i in range(5)}
    people |= {f"v{i}": ("Downstream", {"pre": 50.0, "post": 52.0 + i}) for i in range(5)}
    stance = {who: ("hawk" if who.startswith("h") else "dove") for who in people}
    result = analyze_change(*_long(people), stance=stance, min_cell=5)
    rows = {(r.side, r.comparison): r for r in result.by_stance}
    assert rows[("hawk", "post-pre")].mean_change == pytest.approx(22.0)
    assert rows[("dove", "post-pre")].mean_change == pytest.approx(4.0)


def test_it_refuses_unknown_waves_and_a_respondent_on_two_sides() -> None:
    with pytest.raises(ValueError, match="unknown wave"):
        analyze_change(["a"], ["S"], ["later"], ["m"], [1.0])
    with pytest.raises(ValueError, match="two sides"):
        analyze_change(["a", "a"], ["S", "T"], ["pre", "post"], ["m", "m"], [1.0, 2.0])
