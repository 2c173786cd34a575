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


def test_it_keeps_every_module_under_400_lines() -> None:
    long = {
        name: count
        for name, path in source_files().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_it_says_why_a_function_is_long() -> None:
    unexplained: list[str] = []
    for name, path in source_files().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_FUNCTION_LINES and REASON not in (ast.get_docstring(node) or ""):
                unexplained.append(f"{name}.{node.name} ({lines} lines)")
    assert unexplained == []
