"""Safety is the ground floor: it imports no other tracktwo app, at any level.

Every app registers its own confidential rows with safety (``AppConfig.ready``), so
safety never needs to name them; ``tracktwo.practice`` (Track Two vocabulary) is not an
app either and imports none.
"""

from __future__ import annotations

import ast

from house import source_files


def _all_imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _imports_outside(package: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, path in source_files().items():
        if not name.startswith(package + ".") and name != package:
            continue
        imported = _all_imports(ast.parse(path.read_text(encoding="utf-8")))
        above = sorted(
            module
            for module in imported
            if module.startswith("tracktwo.")
            and module != package
            and not module.startswith(package + ".")
        )
        if above:
            found[name] = above
    return found


def test_it_keeps_safety_free_of_the_apps_above() -> None:
    assert _imports_outside("tracktwo.safety") == {}


def test_it_keeps_the_practice_vocabulary_free_of_apps() -> None:
    assert _imports_outside("tracktwo.practice") == {}
