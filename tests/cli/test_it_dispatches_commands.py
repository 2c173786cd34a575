import os
import subprocess
import sys
from pathlib import Path

from factories import run_tracktwo, site_environ
from schema_templates import migrated_site

from tracktwo.cli import COMMANDS, build_parser


def tracktwo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_tracktwo(site_environ(tmp_path), *args)


def test_it_lists_our_commands_in_help(tmp_path: Path) -> None:
    result = tracktwo(tmp_path, "--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command.name in result.stdout


def test_it_hands_other_commands_to_django(tmp_path: Path) -> None:
    """``showmigrations``, Django's, on a new site and on one ``tracktwo migrate`` migrated
    (the schema all the command-line tests copy, made by ``tracktwo migrate``: a failing
    migration fails them all, tests/schema_templates.py)."""
    fresh = tracktwo(tmp_path / "fresh", "showmigrations", "auth")
    assert fresh.returncode == 0, fresh.stderr
    assert "[ ] 0001_initial" in fresh.stdout
    migrated = tracktwo(migrated_site(tmp_path / "migrated"), "showmigrations", "auth")
    assert migrated.returncode == 0, migrated.stderr
    assert "[X] 0001_initial" in migrated.stdout


def test_it_reports_a_bad_setting_without_a_traceback(tmp_path: Path) -> None:
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path), "PORT": "nope"}
    result = subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "serve"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "tracktwo serve: PORT='nope' is not a whole number"


def test_it_builds_a_parser_for_every_command() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve", "--port", "8123"]).port == 8123
