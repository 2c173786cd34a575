"""Cross-side common ground, shared rejection and divides on declared sides (planted data)."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracktwo.analysis.cross_party import cross_party, cross_party_summary_lines
from tracktwo.analysis.intervals import agree_interval
from tracktwo.analysis.parties import parties_from_mapping
from tracktwo.analysis.votes import Statements, from_arrays, from_records


def planted(
    sides: list[int], plan: list[list[tuple[float, float]]], seed: int
) -> tuple[list[tuple[str, int, int]], dict[str, str]]:
    """Votes where, on statement s, side k has exactly the planted agree/disagree shares.

    ``plan[s][k] = (agree, disagree)`` fractions; the rest of the side passes. Participant
    ids are names (never numbers) so the output can be searched for them.
    """
    rng = np.random.default_rng(seed)
    records: list[tuple[str, int, int]] = []
    mapping: dict[str, str] = {}
    members = []
    for k, size in enumerate(sides):
        names = [f"voter-{k}-{i}" for i in range(size)]
        mapping.update({name: f"side{k}" for name in names})
        members.append(names)
    for s, shares in enumerate(plan):
        for k, (agree, disagree) in enumerate(shares):
            names = list(rng.permutation(members[k]))
            a = round(agree * len(names))
            d = min(round(disagree * len(names)), len(names) - a)
            votes = [1] * a + [-1] * d + [0] * (len(names) - a - d)
            records.extend((name, s, v) for name, v in zip(names, votes, strict=True))
    return records, mapping


def report_for(records, mapping, **options):  # type: ignore[no-untyped-def]
    events = from_records(records)
    parties = parties_from_mapping(mapping, events.participant_ids)
    return events, cross_party(events, parties, **options)


def index_of(events, statement):  # type: ignore[no-untyped-def]
    return events.statements.index[statement]


def test_it_counts_per_side_like_a_plain_loop() -> None:
    rng = np.random.default_rng(3)
    p = rng.integers(0, 40, 2000)
    s = rng.integers(0, 15, 2000)
    v = rng.choice([-1, 0, 1], 2000)
    t = np.arange(2000.0)
    events = from_arrays(p, s, v, t)
    mapping = {i: ("A" if i % 3 == 0 else "B" if i % 3 == 1 else None) for i in range(40)}
    parties = parties_from_mapping(mapping, events.participant_ids)
    report = cross_party(events, parties)
    last: dict[tuple[int, int], int] = {}
    for pi, si, vi in zip(p, s, v, strict=True):  # later rows win: re-votes replace
        last[int(pi), int(si)] = int(vi)
    for k, side in enumerate(parties.names):
        for sid in range(15):
            j = events.statements.index[sid]
            cast = [vote for (pi, si), vote in last.items() if si == sid and mapping[pi] == side]
            assert report.agree[k, j] == cast.count(1)
            assert report.disagree[k, j] == cast.count(-1)
            assert report.passes[k, j] == cast.count(0)
            assert (report.low[k, j], report.high[k, j]) == pytest.approx(
                agree_interval(cast.count(1), len(cast))
            )


sides_strategy = st.lists(st.integers(15, 40), min_size=2, max_size=4)


@settings(max_examples=60, deadline=None)
@given(sides_strategy, st.data())
def test_it_ranks_planted_shared_statements_above_side_specific_ones(sides, data) -> None:  # type: ignore[no-untyped-def]
    k = len(sides)
    high = st.floats(0.75, 1.0)
    low = st.floats(0.0, 0.35)
    n_shared = data.draw(st.integers(1, 4))
    n_specific = data.draw(st.integers(1, 4))
    plan = [[(data.draw(high), 0.0) for _ in range(k)] for _ in range(n_shared)]
    for _ in range(n_specific):
        owner = data.draw(st.integers(0, k - 1))
        plan.append(
            [(data.draw(high), 0.0) if j == owner else (data.draw(low), 0.5) for j in range(k)]
        )
    records, mapping = planted(sides, plan, data.draw(st.integers(0, 2**16)))
    events, report = report_for(records, mapping)
    shared = {index_of(events, s) for s in range(n_shared)}
    specific = {index_of(events, s) for s in range(n_shared, len(plan))}
    score = np.where(report.n >= report.min_votes, report.low, -np.inf).min(axis=0)
    assert min(score[list(shared)]) > max(score[list(specific)])
    listed = report.common_ground.tolist()
    assert not specific & set(listed)
    assert listed == sorted(listed, key=lambda j: -score[j])
    # every shared statement whose weakest lower bound clears 0.6 is listed, in front
    assert set(listed) == {j for j in shared if score[j] >= 0.6}


@settings(max_examples=80, deadline=None)
@given(sides_strategy, st.data())
def test_it_never_lists_a_statement_one_side_rejects(sides, data) -> None:  # type: ignore[no-untyped-def]
    k = len(sides)
    rejecter = data.draw(st.integers(0, k - 1))
    threshold = data.draw(st.floats(0.5, 0.9))
    plan = []
    for _ in range(data.draw(st.integers(1, 5))):
        reject = data.draw(st.floats(0.5, 1.0))
        plan.append(
            [
                (data.draw(st.floats(0.0, 1.0 - reject)), reject)
                if j == rejecter
                else (data.draw(st.floats(0.8, 1.0)), 0.0)
                for j in range(k)
            ]
        )
    records, mapping = planted(sides, plan, data.draw(st.integers(0, 2**16)))
    for every in (True, False):
        _, report = report_for(records, mapping, threshold=threshold, require_every_party=every)
        assert report.common_ground.size == 0


@settings(max_examples=60, deadline=None)
@given(sides_strategy, st.data())
def test_it_never_lowers_the_rank_score_when_the_weakest_side_agrees_more(sides, data) -> None:  # type: ignore[no-untyped-def]
    k = len(sides)
    plan = [
        [(data.draw(st.floats(0.3, 1.0)), data.draw(st.floats(0.0, 0.3))) for _ in range(k)]
        for _ in range(3)
    ]
    records, mapping = planted(sides, plan, data.draw(st.integers(0, 2**16)))
    events, before = report_for(records, mapping)
    target = data.draw(st.integers(0, 2))
    j = index_of(events, target)
    weakest = int(np.argmin(before.low[:, j]))
    side = before.parties[weakest]
    extra = data.draw(st.integers(1, 10))
    newcomers = [(f"new-{i}", target, 1) for i in range(extra)]
    more = dict(mapping) | {name: side for name, _, _ in newcomers}
    events2, after = report_for(records + newcomers, more)
    j2 = index_of(events2, target)
    assert after.low[:, j2].min() >= before.low[:, j].min()
    # and a listed statement keeps its place or moves up among the others
    if j in before.common_ground.tolist():
        assert after.common_ground.tolist().index(j2) <= before.common_ground.tolist().index(j)


def two_sides(plan, sizes=(20, 20)):  # type: ignore[no-untyped-def]
    records, mapping = planted(list(sizes), plan, 0)
    return report_for(records, mapping)


def test_it_keeps_an_unheard_side_from_blocking_only_when_asked() -> None:
    records, mapping = planted([20, 20, 20], [[(1.0, 0.0)] * 3] * 2, 0)
    # side2 casts only 4 votes on statement 0 and 3 on statement 1
    kept = {0: {f"voter-2-{i}" for i in range(4)}, 1: {f"voter-2-{i}" for i in range(3)}}
    records = [r for r in records if not r[0].startswith("voter-2-") or r[0] in kept[r[1]]]
    events, strict = report_for(records, mapping)
    assert strict.common_ground.size == 0  # side2 not heard (fewer than 5 votes)
    _, lenient = report_for(records, mapping, require_every_party=False)
    assert lenient.common_ground.tolist() == [index_of(events, 0), index_of(events, 1)]
    _, low_bar = report_for(records, mapping, min_votes=3)
    assert low_bar.common_ground.size == 0  # heard, but 4 of 4 has a lower bound of 0.597
    _, lower_threshold = report_for(records, mapping, min_votes=3, threshold=0.5)
    assert lower_threshold.common_ground.tolist() == [index_of(events, 0), index_of(events, 1)]
    assert lower_threshold.common_ground_score.tolist() == pytest.approx(
        [agree_interval(4, 4)[0], agree_interval(3, 3)[0]]
    )


def test_it_lists_shared_rejection_and_divides_with_documented_scores() -> None:
    events, report = two_sides(
        [
            [(0.1, 0.9), (0.0, 0.85)],  # rejected by both
            [(0.9, 0.1), (0.1, 0.9)],  # divides, on agree and disagree
            [(0.6, 0.0), (0.3, 0.0)],  # divides a little on agree only (passes elsewhere)
            [(0.9, 0.0), (0.85, 0.1)],  # common ground
        ]
    )
    assert report.shared_rejection.tolist() == [index_of(events, 0)]
    assert report.common_ground.tolist() == [index_of(events, 3)]
    j = index_of(events, 1)
    assert report.divides[0] == j
    d_low, d_high = agree_interval(report.disagree[:, j], report.n[:, j])
    gap = max(report.low[:, j].max() - report.high[:, j].min(), d_low.max() - d_high.min())
    assert report.divide_gap[0] == pytest.approx(gap)
    assert report.divide_gap.tolist() == sorted(report.divide_gap.tolist(), reverse=True)
    assert set(report.divides.tolist()) <= {index_of(events, 1), index_of(events, 2)}


def test_it_never_lists_moderated_out_or_meta_statements() -> None:
    records, mapping = planted([20, 20], [[(1.0, 0.0), (1.0, 0.0)]] * 3, 0)
    statements = Statements(
        (0, 1, 2), ("a", "b", "c"), np.array([-1, 1, 0], np.int8), np.array([False, False, True])
    )
    events = from_records(records, statements)
    report = cross_party(events, parties_from_mapping(mapping, events.participant_ids))
    assert report.common_ground.tolist() == [1]
    assert report.n[:, 0].tolist() == [20, 20]  # still tallied


def test_it_writes_the_issue_json_keys_and_no_participant_id() -> None:
    events, report = two_sides([[(0.9, 0.1), (0.9, 0.0)], [(0.9, 0.1), (0.1, 0.9)]])
    out = report.to_json()
    assert list(out) == ["cross_party"]
    body = out["cross_party"]
    for key in ("common_ground", "shared_rejection", "divides"):
        for item in body[key]:
            assert set(item) == {"statement", "support"}
            for counts in item["support"].values():
                assert set(counts) == {"agree", "disagree", "pass", "n", "share", "low", "high"}
    first = body["common_ground"][0]
    assert first["statement"] == 0
    assert first["support"]["side0"] == {
        "agree": 18,
        "disagree": 2,
        "pass": 0,
        "n": 20,
        "share": 0.9,
        "low": round(agree_interval(18, 20)[0], 4),
        "high": round(agree_interval(18, 20)[1], 4),
    }
    assert body["divides"][0]["statement"] == 1
    text = json.dumps(out) + "\n".join(cross_party_summary_lines(report, events.statements))
    assert "voter-" not in text


def test_it_shows_where_sides_and_opinion_groups_disagree() -> None:
    records, mapping = planted([20, 20, 10], [[(0.5, 0.5)] * 3], 0)
    groups = {f"voter-0-{i}": 0 for i in range(20)}  # side0: all in group 0
    groups |= {f"voter-1-{i}": (1 if i < 10 else 2) for i in range(20)}  # side1 split in two
    groups |= {f"voter-2-{i}": 1 for i in range(8)}  # side2 joins group 1; 2 ungrouped
    events = from_records(records)
    parties = parties_from_mapping(mapping, events.participant_ids)
    report = cross_party(events, parties, groups=groups)
    table = report.sides_and_groups
    assert table is not None
    assert table.groups == (0, 1, 2)
    assert table.counts.tolist() == [[20, 0, 0], [0, 10, 10], [0, 8, 0]]
    assert table.ungrouped.tolist() == [0, 0, 2]
    assert table.split_sides() == [("side1", 0.5)]
    assert table.spanning_groups() == [(1, pytest.approx(8 / 18))]
    lines = "\n".join(cross_party_summary_lines(report, events.statements))
    assert "Side side1 is split: 50%" in lines and "Opinion group 1 spans sides: 44%" in lines
    assert report.to_json()["cross_party"]["sides_and_groups"]["counts"]["side2"] == {
        "0": 0,
        "1": 8,
        "2": 0,
        "none": 2,
    }


def test_it_refuses_parties_built_for_other_votes_and_bad_settings() -> None:
    records, mapping = planted([5, 5], [[(1.0, 0.0)] * 2], 0)
    events = from_records(records)
    parties = parties_from_mapping(mapping, events.participant_ids)
    other = from_records([*records, ("late", 0, 1)])
    with pytest.raises(ValueError, match="another vote set"):
        cross_party(other, parties)
    with pytest.raises(ValueError, match="threshold"):
        cross_party(events, parties, threshold=1.0)
    with pytest.raises(ValueError, match="min_votes"):
        cross_party(events, parties, min_votes=0)
