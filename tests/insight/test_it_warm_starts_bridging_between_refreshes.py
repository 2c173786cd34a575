"""With workers, the facilitators' chain keeps its last bridging fit in the published whole
chains, so the next refresh -- on whichever worker -- warm-starts from it and agrees with a
cold fit on the same votes; the readers' view that app processes load carries none of it
(real Redis)."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
import redis
from insight_support import cast, make_room, planted_votes

from tracktwo.analysis.bridging import BridgingModel
from tracktwo.insight import chains, shared
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def opened(raw: redis.Redis, dialogue: Any, part: str) -> dict[str, Any]:
    sealed = raw.get(shared.key(dialogue.pk, part))
    state: dict[str, Any] = pickle.loads(  # noqa: S301 - opened with the data key
        box_for(dialogue.initiative_id).open_bytes(sealed, shared._where(dialogue.pk))
    )
    return state


def test_it_continues_the_bridging_fit_on_the_next_worker(
    workers: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This small dialogue fits cold below the real threshold: lower it, and never re-anchor.
    monkeypatch.setattr(chains, "WARM_BRIDGING_VOTES", 1)
    monkeypatch.setattr(chains, "REANCHOR_GROWTH", 100.0)
    room = make_room(per_side=20, n_statements=8)
    votes = planted_votes(room)
    cast(votes[: len(votes) // 2])
    assert shared.refresh_once(room.dialogue.pk) == "computed"
    first = chains.entry(room.dialogue.pk).chains["facilitator"]
    assert first.bridging is not None and first.bridging_anchor > 0
    anchor, first_fit = first.bridging_anchor, first.bridging.intercept_.copy()

    cast(votes[len(votes) // 2 :])
    chains.forget(room.dialogue.pk)  # another worker: it holds nothing of this dialogue
    assert shared.refresh_once(room.dialogue.pk) == "computed"
    chain = chains.entry(room.dialogue.pk).chains["facilitator"]
    model = chain.bridging
    assert model is not None and model.warm_start
    assert chain.bridging_anchor == anchor  # continued from the published fit, not cold
    assert not np.array_equal(model.intercept_, first_fit)  # refitted on the new votes
    assert chain.result is not None and chain.snapshot is not None
    warm = chain.snapshot.bridging
    cold = BridgingModel().fit(chain.result.events)
    assert warm is not None and warm.converged
    assert abs(warm.loss - cold.loss) <= 1e-5 * cold.loss
    assert np.array_equal(warm.bridges, cold.bridges)

    whole = opened(workers, room.dialogue, "blob")
    assert whole["chains"]["facilitator"].bridging is not None
    view = opened(workers, room.dialogue, "view")
    for published in view["chains"].values():
        assert published.bridging is None and published.bridging_anchor == 0
    assert b"BridgingModel" not in pickle.dumps(view)


def test_it_fits_cold_below_the_threshold(workers: redis.Redis) -> None:
    """Where a cold fit is cheap, each refresh fits cold: as ``tracktwo analyze`` does."""
    room = make_room()
    votes = planted_votes(room)
    cast(votes[:60])
    assert shared.refresh_once(room.dialogue.pk) == "computed"
    cast(votes[60:])
    assert shared.refresh_once(room.dialogue.pk) == "computed"
    chain = chains.entry(room.dialogue.pk).chains["facilitator"]
    assert chain.result is not None and chain.snapshot is not None
    cold = BridgingModel().fit(chain.result.events)
    assert chain.snapshot.bridging is not None
    assert np.array_equal(chain.snapshot.bridging.intercept, cold.intercept)
    assert chain.bridging_anchor == int(np.count_nonzero(chain.result.events.latest().vote))
