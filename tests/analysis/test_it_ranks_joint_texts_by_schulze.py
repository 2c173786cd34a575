"""Schulze (winning votes) among candidate joint texts: worked example, ties, an independent check."""

from itertools import permutations

import numpy as np
import pytest
from habermas_machine.social_choice import utils as habermas_utils
from habermas_machine.social_choice.schulze_method import Schulze as HabermasSchulze
from hypothesis import given, settings
from hypothesis import strategies as st

from tracktwo.analysis.schulze import BallotError, parse_ballots, schulze, strongest_paths

WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def wikipedia_ballots() -> list[list[str]]:
    return [list(ranking) for count, ranking in WIKIPEDIA for _ in range(count)]


def test_it_reproduces_the_wikipedia_worked_example() -> None:
    result = schulze(wikipedia_ballots(), candidates=list("ABCDE"))
    assert result.n_ballots == 45
    # The d[*,*] and p[*,*] tables of the "Example" section of the Wikipedia article.
    assert result.pairwise.tolist() == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    assert result.strength.tolist() == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    assert result.to_json() == {"winner": "E", "order": ["E", "A", "C", "B", "D"], "ties": []}


def test_it_does_not_depend_on_ballot_order_when_there_are_no_ties() -> None:
    ballots = wikipedia_ballots()
    assert schulze(ballots[::-1]).order == ("E", "A", "C", "B", "D")


def test_it_ranks_missing_candidates_below_those_on_the_ballot() -> None:
    result = schulze([["A"]] * 3 + [["B", "C"]] * 2)
    a, b, c = (result.candidates.index(x) for x in "ABC")
    assert result.pairwise[a, b] == 3 and result.pairwise[b, a] == 2
    assert result.pairwise[b, c] == 2 and result.pairwise[c, b] == 0  # B above C on 2 ballots
    assert result.pairwise[a, c] == 3 and result.pairwise[c, a] == 2
    assert result.order == ("A", "B", "C")


def test_it_reports_ties_and_breaks_them_by_first_appearance() -> None:
    result = schulze([["A", "B"], ["B", "A"], ["C"], ["A", "B", "C"], ["B", "A", "C"]])
    assert result.ties == (("A", "B"),)
    assert result.winner == "A" and result.winner_is_tied
    assert result.order == ("A", "B", "C")
    swapped = schulze([["B", "A"], ["A", "B"], ["C"], ["A", "B", "C"], ["B", "A", "C"]])
    assert swapped.winner == "B" and swapped.ties == (("B", "A"),)
    listed = schulze([["A", "B"], ["B", "A"]], candidates=["B", "A", "Z"])
    assert listed.to_json() == {"winner": "B", "order": ["B", "A", "Z"], "ties": [["B", "A"]]}


def test_it_ignores_and_counts_empty_ballots() -> None:
    plain = schulze(wikipedia_ballots())
    padded = schulze([[], *wikipedia_ballots(), [], []])
    assert padded.n_empty == 3 and padded.n_ballots == 48
    assert padded.order == plain.order
    assert np.array_equal(padded.pairwise, plain.pairwise)


def test_it_refuses_ballots_without_candidates_or_with_repeats() -> None:
    with pytest.raises(BallotError, match="no candidates"):
        schulze([[], []])
    with pytest.raises(BallotError, match="ballot 2: candidate 'A' is ranked twice"):
        schulze([["A"], ["A", "B", "A"]])
    with pytest.raises(BallotError, match="ballot 1: unknown candidate 'Q'"):
        schulze([["Q"]], candidates=["A"])


def test_it_reads_ballot_csv_with_quotes_blank_lines_and_spaces() -> None:
    text = 'A, "B, amended",C\n\nC,A\n   \n'
    assert parse_ballots(text, "b.csv") == [["A", "B, amended", "C"], [], ["C", "A"], []]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A,B\nA,,B\n", "b.csv:2: field 2 is empty"),
        ("A,B\nB,C,B\n", "b.csv:2: candidate 'B' is ranked twice (fields 1 and 3)"),
        ('A,B\n"C,D\n', "b.csv:2: unreadable CSV"),
    ],
)
def test_it_names_the_line_of_a_malformed_ballot(text: str, message: str) -> None:
    with pytest.raises(BallotError) as caught:
        parse_ballots(text, "b.csv")
    assert str(caught.value).startswith(message)


def ballots_strategy() -> st.SearchStrategy[tuple[int, list[list[str]]]]:
    def for_size(n: int) -> st.SearchStrategy[tuple[int, list[list[str]]]]:
        names = [chr(ord("A") + i) for i in range(n)]
        ballot = st.permutations(names).flatmap(
            lambda order: st.integers(0, n).map(lambda k: list(order[:k]))
        )
        return st.tuples(st.just(n), st.lists(ballot, min_size=1, max_size=40))

    return st.integers(2, 7).flatmap(for_size)


def habermas_levels(n: int, ballots: list[list[str]]) -> list[int] | None:
    """The habermas-machine ranking with ties: rank per candidate, 0 best (None: no input)."""
    names = [chr(ord("A") + i) for i in range(n)]
    rows = []
    for ballot in ballots:
        if not ballot:
            continue  # habermas-machine expresses "no ranking" as a mock row, then drops it
        rank = {name: len(ballot) for name in names}  # missing: equal, below those ranked
        rank.update({name: i for i, name in enumerate(ballot)})
        rows.append([rank[name] for name in names])
    if not rows:
        return None
    method = HabermasSchulze(habermas_utils.TieBreakingMethod.TIES_ALLOWED)
    return [int(r) for r in method.aggregate_with_ties(np.array(rows, dtype=np.int32))]


@settings(max_examples=300, deadline=None)
@given(ballots_strategy())
def test_it_agrees_with_the_habermas_machine_implementation(
    case: tuple[int, list[list[str]]],
) -> None:
    n, ballots = case
    names = [chr(ord("A") + i) for i in range(n)]
    theirs = habermas_levels(n, ballots)
    ours = schulze(ballots, candidates=names)
    if theirs is None:  # only empty ballots: nothing separates anyone
        assert ours.ties == (tuple(names),)
        return
    strict = ours.strength > ours.strength.T
    weak = ~strict.T
    if not all(weak[i, k] for i, j, k in permutations(range(n), 3) if weak[i, j] and weak[j, k]):
        # habermas-machine levels candidates by how many they weakly beat, which is a ranking
        # only when "not beaten by" is transitive; with partial ballots it need not be.
        return
    level = {name: 0 for name in names}
    current = 0
    for place, name in enumerate(ours.order):
        if place and not any(ours.order[place - 1] in g and name in g for g in ours.ties):
            current += 1
        level[name] = current
    assert [level[name] for name in names] == theirs
    if not ours.ties or ours.order[0] not in ours.ties[0]:
        assert theirs[names.index(ours.winner)] == 0
        assert theirs.count(0) == 1


@settings(max_examples=300, deadline=None)
@given(ballots_strategy())
def test_it_orders_consistently_with_a_transitive_beats_relation(
    case: tuple[int, list[list[str]]],
) -> None:
    n, ballots = case
    names = [chr(ord("A") + i) for i in range(n)]
    result = schulze(ballots, candidates=names)
    p = result.strength
    beats = p > p.T
    for i, j, k in permutations(range(n), 3):  # Schulze's theorem: beats is transitive
        if beats[i, j] and beats[j, k]:
            assert beats[i, k]
    place = {name: result.order.index(name) for name in names}
    for i, j in permutations(range(n), 2):
        if beats[i, j]:
            assert place[names[i]] < place[names[j]]
    for group in result.ties:
        members = [names.index(name) for name in group]
        assert not beats[np.ix_(members, members)].any()
        assert list(group) == sorted(group, key=names.index)  # the tie rule


def test_it_levels_candidates_when_indifference_is_not_transitive() -> None:
    result = schulze([["A"], ["B", "C"]])
    assert result.order == ("A", "B", "C")
    assert result.ties == (("A", "B"),)


def test_it_finds_widest_paths_like_the_textbook_triple_loop() -> None:
    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(2, 9))
        d = rng.integers(0, 30, size=(n, n))
        np.fill_diagonal(d, 0)
        expected = np.where(d > d.T, d, 0)
        for k in range(n):
            for i in range(n):
                for j in range(n):
                    if len({i, j, k}) == 3:
                        expected[i, j] = max(expected[i, j], min(expected[i, k], expected[k, j]))
        assert np.array_equal(strongest_paths(d), expected)
