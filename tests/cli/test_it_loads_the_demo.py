"""``tracktwo demo``: a fictional workshop whose dashboard shows groups and common ground."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import own_master_key, run_tracktwo, site_environ
from schema_templates import migrated_site

from tracktwo.dialogues.demo import DEMO_USERNAME, HANDLES, find_demo, load_demo
from tracktwo.dialogues.models import Participant, Statement
from tracktwo.insight import service as live


def _run(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_tracktwo(site_environ(data_dir, **env), *args)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_site(tmp_path_factory.mktemp("demo-cli"))


def test_it_loads_once_and_says_how_to_sign_in(data_dir: Path) -> None:
    first = _run(data_dir, "demo")
    assert first.returncode == 0, first.stderr
    assert "demo-facilitator" in first.stdout and "password: " in first.stdout
    password = first.stdout.split("password: ", 1)[1].split()[0]
    assert len(password) >= 12
    assert (data_dir / "demo-password").stat().st_mode & 0o077 == 0
    again = _run(data_dir, "demo", "--if-absent")
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout and password in again.stdout
    # make run prints these last, just before serving: the sign-in closes the output
    last = again.stdout.strip().splitlines()[-3:]
    assert last[0].startswith("Sign in at http://127.0.0.1:") and "demo-facilitator" in last[0]
    assert last[1] == f"  password: {password}"
    refused = _run(data_dir, "demo")
    assert refused.returncode == 2
    assert refused.stderr.startswith("tracktwo demo: the demo is already loaded")
    assert "Traceback" not in refused.stderr


def test_it_refuses_in_production(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "demo",
        TRACKTWO_ENV="production",
        SECRET_KEY="Demo-refusal-key-" + "".join(chr(97 + i % 26) + str(i % 9) for i in range(25)),
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode == 2
    assert "local use only" in result.stderr or "migrate" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def fresh_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from own_master_key(tmp_path / "master.key", monkeypatch)


@pytest.mark.django_db
def test_it_plants_two_groups_and_common_ground(fresh_keys: Path) -> None:
    demo = load_demo("a long demo passphrase 7")
    assert demo.user.username == DEMO_USERNAME and demo.user.check_password(
        "a long demo passphrase 7"
    )
    assert find_demo() is not None
    assert Participant.objects.filter(dialogue=demo.dialogue).count() == len(HANDLES)
    assert Statement.objects.filter(dialogue=demo.dialogue, moderation="pending").count() == 1
    data = live.dialogue_analysis(demo.dialogue)
    assert data["status"] == "ready"
    assert data["counts"]["groups"] == 2
    assert len(data["common_ground"]) >= 3
    assert data["cross_side"]["available"] and len(data["cross_side"]["common_ground"]) >= 3
    assert data["cross_side"]["divides"]
    table = data["cross_side"]["sides_and_groups"]
    assert all(sum(row.values()) > 0 for row in table.values())


def test_it_runs_the_demo_last_before_serving() -> None:
    makefile = (Path(__file__).parents[2] / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    commands = [line.strip().lstrip("@") for line in recipe]
    assert commands[-2] == "$(VENV)/bin/tracktwo demo --if-absent"
    assert commands[-1].startswith("$(VENV)/bin/tracktwo serve") and "--no-migrate" in commands[-1]
