"""No two tracktwo files import each other, directly or round a circle, at module level."""

from __future__ import annotations

from house import cycles, import_graph


def test_it_has_no_file_level_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_it_finds_a_cycle_when_there_is_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
