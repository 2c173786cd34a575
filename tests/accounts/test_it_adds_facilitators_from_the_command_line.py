"""``tracktwo facilitator add`` end to end: a fresh data folder, real subprocesses."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from factories import run_python, site_environ
from schema_templates import migrated_site

CHECK_TOKEN = """
import os, sys, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from django.test import Client
response = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer " + sys.argv[1])
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_python(site_environ(data_dir), *args)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_site(tmp_path_factory.mktemp("facilitator-cli"))


@pytest.fixture(scope="module")
def amira(data_dir: Path) -> subprocess.CompletedProcess[str]:
    """``facilitator add amira`` (a password, an email address, a convener), run once: the
    account the later tests compare theirs with. A fixture, not the first test's doing, so
    that every test finds amira wherever and in whatever order it runs (with ``-n 2`` and no
    ``--dist loadfile``, a file's tests are shared between two processes and two sites)."""
    password_file = data_dir / "password.txt"
    password_file.write_text("a long enough passphrase 42\n")
    return _run(
        data_dir,
        "-m",
        "tracktwo.cli",
        "facilitator",
        "add",
        "amira",
        "--password-file",
        str(password_file),
        "--email",
        "amira@example.org",
        "--convener",
    )


def test_it_prints_a_working_token_alone_on_the_last_line(
    data_dir: Path, amira: subprocess.CompletedProcess[str]
) -> None:
    result = amira
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("\n")
    last = result.stdout.splitlines()[-1]
    assert last.startswith("t2u_") and len(last) == 47 and " " not in last
    checked = _run(data_dir, "-c", CHECK_TOKEN, last)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout) == {
        "status": 200,
        "body": {"kind": "user", "username": "amira"},
    }
    # The token is not stored anywhere in the database file.
    database = (data_dir / "tracktwo.sqlite3").read_bytes()
    assert last.encode() not in database and last[4:].encode() not in database


def test_it_sets_the_web_password_and_the_convener_flag(
    data_dir: Path, amira: subprocess.CompletedProcess[str]
) -> None:
    password_file = data_dir / "pw-2.txt"
    password_file.write_text("another long passphrase 7\nignored second line\n")
    added = _run(
        data_dir,
        "-m",
        "tracktwo.cli",
        "facilitator",
        "add",
        "bo",
        "--password-file",
        str(password_file),
    )
    assert added.returncode == 0, added.stderr
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='tracktwo.site.settings';"
        "django.setup(); from tracktwo.accounts.models import User;"
        "u=User.objects.get(username='bo');"
        "print(u.check_password('another long passphrase 7'), u.is_convener,"
        " User.objects.get(username='amira').is_convener)"
    )
    checked = _run(data_dir, "-c", code)
    assert checked.stdout.split() == ["True", "False", "True"], checked.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["amira"], "an account named 'amira' already exists"),
        (["new one"], "the name 'new one' may hold only letters, digits and @ . + - _"),
        (
            ["x", "--password-file", "/nonexistent/pw"],
            "--password-file /nonexistent/pw: no such file",
        ),
        (["x", "--email", "not-an-address"], "'not-an-address' is not an email address"),
    ],
)
def test_it_reports_mistakes_in_one_line(
    data_dir: Path, amira: subprocess.CompletedProcess[str], args: list[str], message: str
) -> None:
    result = _run(data_dir, "-m", "tracktwo.cli", "facilitator", "add", *args)
    assert result.returncode == 2
    assert result.stderr.strip() == f"tracktwo facilitator: {message}"
    assert "Traceback" not in result.stderr


def test_it_refuses_a_weak_password(data_dir: Path) -> None:
    weak = data_dir / "weak.txt"
    weak.write_text("short\n")
    result = _run(
        data_dir, "-m", "tracktwo.cli", "facilitator", "add", "cai", "--password-file", str(weak)
    )
    assert result.returncode == 2
    assert "the password is refused: This password is too short" in result.stderr


def test_it_asks_for_migrations_first(tmp_path: Path) -> None:
    result = _run(tmp_path, "-m", "tracktwo.cli", "facilitator", "add", "dana")
    assert result.returncode == 2
    assert "run 'tracktwo migrate' first" in result.stderr


def test_it_makes_an_operator_who_may_use_the_admin(
    data_dir: Path, amira: subprocess.CompletedProcess[str]
) -> None:
    added = _run(
        data_dir, "-m", "tracktwo.cli", "facilitator", "add", "ops", "--operator", "--link"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("created operator and facilitator account 'ops'")
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='tracktwo.site.settings';"
        "django.setup(); from tracktwo.accounts.models import User;"
        "print(*(User.objects.get(username=n).is_staff for n in ('ops', 'amira')))"
    )
    checked = _run(data_dir, "-c", code)
    assert checked.stdout.split() == ["True", "False"], checked.stderr
