"""The results: paired change per measure and side with interval and d_z, attrition per wave,
change by prior stance; sides below the dialogue's threshold withheld, and the total too
when it would give a side away."""

from __future__ import annotations

import pytest
from evaluation_support import Workshop

from tracktwo.evaluation import actions, queries


def _row(results: list[dict[str, object]], side: str, measure: str, comparison: str) -> dict:
    return next(
        r
        for r in results
        if (r["side"], r["measure"], r["comparison"]) == (side, measure, comparison)
    )


def test_it_recovers_a_known_change_per_side(workshop: Workshop) -> None:
    workshop.survey("pre", "post")
    up, down = workshop.people((6, 6))
    for i, person in enumerate(up):
        actions.answer(person, "pre", {"thermometer": 30 + i, "stance": 6})
        actions.answer(person, "post", {"thermometer": 50 + i + i % 2})  # +20, +21, ...
    for i, person in enumerate(down):
        actions.answer(person, "pre", {"thermometer": 60, "trust_word": 3, "stance": 2})
        actions.answer(person, "post", {"thermometer": 60 - i})
    report = queries.results(workshop.dialogue)
    rows = report["results"]
    upstream = _row(rows, "Upstream", "thermometer", "post-pre")
    assert upstream["n_paired"] == 6 and upstream["mean_change"] == pytest.approx(20.5)
    assert upstream["ci_low"] < 20.5 < upstream["ci_high"]
    downstream = _row(rows, "Downstream", "thermometer", "post-pre")
    assert downstream["mean_change"] == pytest.approx(-2.5)
    assert downstream["d_z"] == pytest.approx(-2.5 / 1.8708287, rel=1e-6)
    assert _row(rows, "all", "thermometer", "post-pre")["n_paired"] == 12
    hawks = _row(report["by_stance"], "hawk", "thermometer", "post-pre")
    assert hawks["mean_change"] == pytest.approx(20.5)
    attrition = {(a["side"], a["wave"]): a for a in report["attrition"]}
    assert attrition[("Upstream", "post")]["retained_from_pre"] == 6
    assert attrition[("all", "follow-up")]["respondents"] == 0


def test_it_withholds_a_small_side_and_the_total_that_would_reveal_it(
    workshop: Workshop,
) -> None:
    workshop.survey("pre", "post")
    up, down = workshop.people((7, 3))
    for person in up + down:
        actions.answer(person, "pre", {"thermometer": 40})
        actions.answer(person, "post", {"thermometer": 55})
    rows = queries.results(workshop.dialogue)["results"]
    small = _row(rows, "Downstream", "thermometer", "post-pre")
    assert small["withheld"] and small["n_paired"] is None and small["mean_change"] is None
    # Upstream (7) and the total (10) would give the 3 away by subtraction: one must go too
    other = _row(rows, "Upstream", "thermometer", "post-pre")
    total = _row(rows, "all", "thermometer", "post-pre")
    assert other["withheld"] or total["withheld"]
    shown = [r["n_paired"] for r in rows if r["measure"] == "thermometer" and not r["withheld"]]
    assert all(n is None or n >= workshop.dialogue.small_cell_threshold for n in shown)


def test_it_reports_nothing_before_a_survey(workshop: Workshop) -> None:
    report = queries.results(workshop.dialogue)
    assert report["survey"] is False and report["results"] == []
