"""Modules stay under about 400 lines; a function over 60 lines says why in its docstring.

The reason is a sentence starting "Kept in one piece:" (for example: one transaction whose
checks must run in order), so a reader sees at once that the length is chosen.
"""

from __future__ import annotations

import ast

from house import source_files

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
REASON = "Kept in one piece:"

# Over the limits when this test came, in the engine (tracktwo/analysis and its CLI summary),
# not yet split: each may shrink, none may grow, and a new one fails. Remove an entry once
# its module or function is within the limit.
KNOWN_LONG_MODULES = {
    "tracktwo.analysis.cross_party": 456,
    "tracktwo.analysis.polis_io": 515,
}
KNOWN_LONG_FUNCTIONS = {
    "tracktwo.analysis.cadence.poll_windows": 79,
    "tracktwo.analysis.cells._packed": 62,
    "tracktwo.analysis.cross_party.cross_party": 108,
    "tracktwo.analysis.engine._run": 92,
    "tracktwo.analysis.polis_io._read_wide_csv": 72,
    "tracktwo.analysis.repness.select_group": 62,
    "tracktwo.analysis.result_json._document": 151,
    "tracktwo.cli.analyze.summary_lines": 75,
}


def test_it_keeps_every_module_under_400_lines() -> None:
    long = {
        name: count
        for name, path in source_files().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines()))
        > KNOWN_LONG_MODULES.get(name, MAX_MODULE_LINES)
    }
    assert long == {}
    fixed = {name for name, path in source_files().items() if name in KNOWN_LONG_MODULES}
    assert fixed == set(KNOWN_LONG_MODULES)  # a renamed or removed module leaves the list


def test_it_says_why_a_function_is_long() -> None:
    unexplained: list[str] = []
    for name, path in source_files().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            limit = KNOWN_LONG_FUNCTIONS.get(f"{name}.{node.name}", MAX_FUNCTION_LINES)
            if lines > limit and REASON not in (ast.get_docstring(node) or ""):
                unexplained.append(f"{name}.{node.name} ({lines} lines)")
    assert unexplained == []
