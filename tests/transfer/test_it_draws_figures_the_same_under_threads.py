"""``tracktwo serve`` answers in threads; a brief's figures must come out the same whether
drawn alone or beside others, and leave matplotlib's process-wide settings as they were."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import matplotlib
from transfer_support import Scenario

from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import figures
from tracktwo.transfer.content import findings_for


def test_it_draws_identical_figures_from_many_threads(scenario: Scenario) -> None:
    result = findings_for(scenario.dialogue, None, box_for(scenario.initiative.pk))
    before = dict(matplotlib.rcParams)
    alone = (figures.opinion_map(result), figures.support_bars(result))
    assert alone[0].startswith("<?xml") and alone[1].startswith("<?xml")

    def draw(_: int) -> tuple[str, str]:
        return figures.opinion_map(result), figures.support_bars(result)

    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(draw, range(40)))
    assert all(pair == alone for pair in drawn)
    assert dict(matplotlib.rcParams) == before
