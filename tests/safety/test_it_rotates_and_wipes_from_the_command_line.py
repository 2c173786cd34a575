"""``tracktwo keys`` and ``tracktwo purge`` against a real SQLite file, in subprocesses."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from factories import run_python, run_tracktwo, site_environ
from schema_templates import migrated_site

HERE = Path(__file__).resolve().parent

READ_BACK = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from tracktwo.insight.engine_input import dialogue_statements
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives.models import Initiative
from tracktwo.safety.datakeys import box_for
for initiative in Initiative.objects.order_by("id"):
    print(initiative.pk, initiative.title.read(box_for(initiative.pk)))
for dialogue in Dialogue.objects.order_by("id"):
    print(dialogue.pk, [t for t in dialogue_statements(dialogue).texts])
"""


def _environ(folder: Path) -> dict[str, str]:
    return site_environ(folder, "site.sqlite3")


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite site with two initiatives full of canaries, made once per module."""
    folder = migrated_site(tmp_path_factory.mktemp("site"), "site.sqlite3")  # canaries.py
    for _ in range(2):  # migrates too: here it finds nothing left to do
        subprocess.run(
            [sys.executable, str(HERE / "canaries.py")],
            env=_environ(folder),
            check=True,
            timeout=300,
        )
    return folder


@pytest.fixture
def site(populated: Path, tmp_path: Path) -> dict[str, str]:
    """A private copy of the populated site (database and key file)."""
    shutil.copytree(populated, tmp_path, dirs_exist_ok=True)
    return _environ(tmp_path)


def tracktwo(environ: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_tracktwo(environ, *args)


def read_back(environ: dict[str, str]) -> str:
    result = run_python(environ, "-c", READ_BACK)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_it_rotates_keys_and_keeps_everything_readable(
    site: dict[str, str], tmp_path: Path
) -> None:
    before = read_back(site)
    assert "CanaryInitiativeTitle" in before and "CanaryStatementText" in before
    key_file = tmp_path / "keys" / "master.key"
    old_key = key_file.read_text()

    result = tracktwo(site, "keys", "rotate")
    assert result.returncode == 0, result.stderr
    assert "2 data keys re-wrapped" in result.stdout and "shredded" in result.stdout
    assert key_file.read_text() != old_key
    assert read_back(site) == before

    result = tracktwo(site, "keys", "rotate", "--keep-old")
    assert result.returncode == 0, result.stderr
    assert len(list(key_file.parent.glob("master.key.old-*"))) == 1

    result = tracktwo(site, "keys", "rotate", "--initiative", "1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("initiative 1: data key rotated to version 2")
    assert read_back(site) == before

    status = tracktwo(site, "keys", "status")
    assert status.returncode == 0
    assert "initiative 1: data key v2" in status.stdout and "(current)" in status.stdout


def test_it_wipes_only_with_yes_and_says_what_went(site: dict[str, str]) -> None:
    refused = tracktwo(site, "keys", "wipe", "--initiative", "1")
    assert refused.returncode == 2
    assert refused.stderr.startswith("tracktwo keys: refusing to wipe initiative 1 without --yes")
    assert len(refused.stderr.strip().splitlines()) == 1

    wiped = tracktwo(site, "keys", "wipe", "--initiative", "1", "--yes")
    assert wiped.returncode == 0, wiped.stderr
    assert "initiative 1 wiped: data key destroyed" in wiped.stdout
    assert "master key rotated" in wiped.stdout
    remaining = read_back(site)
    assert remaining.startswith("2 CanaryInitiativeTitle")
    assert not any(line.startswith("1 ") for line in remaining.splitlines())

    again = tracktwo(site, "keys", "wipe", "--initiative", "1", "--yes")
    assert again.returncode == 2
    assert again.stderr.strip() == "tracktwo keys: initiative 1 does not exist"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["keys", "rotate", "--initiative", "9"], "tracktwo keys: initiative 9 does not exist"),
        (
            ["keys", "rotate", "--initiative", "1", "--keep-old"],
            "tracktwo keys: --keep-old applies to the master key, not to --initiative",
        ),
        (
            ["purge", "--now", "yesterday"],
            "tracktwo purge: --now 'yesterday' is not an ISO 8601 time",
        ),
        (
            ["purge", "--now", "2030-01-01T00:00:00"],
            "tracktwo purge: --now '2030-01-01T00:00:00' needs a time zone, e.g. "
            "2030-01-01T00:00:00+00:00",
        ),
    ],
)
def test_it_reports_operator_mistakes_in_one_line(
    site: dict[str, str], args: list[str], message: str
) -> None:
    result = tracktwo(site, *args)
    assert result.returncode == 2
    assert result.stderr.strip() == message


def test_it_reports_a_missing_master_key_in_one_line(site: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "keys" / "master.key").rename(tmp_path / "elsewhere.key")
    result = tracktwo(
        {
            **site,
            "TRACKTWO_ENV": "production",
            "SECRET_KEY": "Wipe-test-key-"
            + "".join(chr(97 + i % 26) + str(i % 9) for i in range(25)),
            "ALLOWED_HOSTS": "example.org",
        },
        "keys",
        "rotate",
    )
    assert result.returncode == 2
    assert "TRACKTWO_MASTER_KEY_FILE" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_it_purges_on_schedule(site: dict[str, str]) -> None:
    dry = tracktwo(site, "purge", "--dry-run", "--now", "2999-01-01T00:00:00+00:00")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("would purge dialogue") == 2
    assert tracktwo(site, "purge").stdout.strip() == "nothing to purge"
    purged = tracktwo(site, "purge", "--now", "2999-01-01T00:00:00+00:00")
    assert purged.returncode == 0, purged.stderr
    assert purged.stdout.count("purged dialogue") == 2
    assert "statements" in purged.stdout
    assert "CanaryStatementText" not in read_back(site)


def test_it_creates_the_first_master_key_once(tmp_path: Path) -> None:
    """``tracktwo keys create`` writes a first key where production would refuse to make one,
    and refuses to overwrite it (a second key would strand every wrapped data key)."""
    environ = _environ(tmp_path)
    key_file = Path(environ["TRACKTWO_MASTER_KEY_FILE"])
    assert not key_file.exists()
    made = tracktwo(environ, "keys", "create")
    assert made.returncode == 0, made.stderr
    assert str(key_file) in made.stdout and key_file.stat().st_mode & 0o777 == 0o600
    first = key_file.read_text()
    again = tracktwo(environ, "keys", "create")
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert again.stderr.strip() == (
        f"tracktwo keys: {key_file} already exists: replace a master key with "
        "'tracktwo keys rotate'"
    )
    assert key_file.read_text() == first
