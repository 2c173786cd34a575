"""Every command that needs the database starts Django through ``tracktwo.cli.start_django``;
``analyze``, ``evaluation``, ``rank`` and ``select`` never do (see test_it_analyzes_without_django.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import run_tracktwo, site_environ

from tracktwo import cli

CLI = Path(cli.__file__).resolve().parent
PURE = {"analyze", "evaluation", "rank", "select"}


def _source(command: cli.Command) -> str:
    return (CLI / f"{command.module.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8")


def test_it_sets_django_up_nowhere_else() -> None:
    for path in sorted(CLI.glob("*.py")):
        if path.name == "__init__.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "django.setup" not in text, path.name
        assert "DJANGO_SETTINGS_MODULE" not in text, path.name


def test_it_starts_django_in_every_command_but_the_pure_ones() -> None:
    for command in cli.COMMANDS:
        assert ("start_django(" in _source(command)) is (command.name not in PURE), command.name


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "1"], "the database has unapplied migrations: run 'tracktwo migrate' first"),
        (["export-polis", "1", "-o", "out"], "the database has unapplied migrations"),
        (["keys", "status"], "the database is not ready"),
    ],
)
def test_it_refuses_an_unmigrated_database_in_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = run_tracktwo(site_environ(tmp_path, "empty.sqlite3"), *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
