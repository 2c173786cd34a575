"""Settings fail loudly on bad values; each check runs the settings in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracktwo.site import env


def load_settings(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    environ.update({"TRACKTWO_DATA_DIR": str(tmp_path), **overrides})
    code = "import tracktwo.site.settings as s; print(s.DATABASES['default']['ENGINE'], s.PORT)"
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
    )


def test_it_defaults_to_sqlite_under_the_data_folder(tmp_path: Path) -> None:
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "8000"]
    assert (tmp_path / "secret_key").exists()


def test_it_keeps_the_generated_secret_key(tmp_path: Path) -> None:
    load_settings(tmp_path)
    first = (tmp_path / "secret_key").read_text()
    load_settings(tmp_path)
    assert (tmp_path / "secret_key").read_text() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_it_reads_a_postgres_url(tmp_path: Path) -> None:
    result = load_settings(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:5432/x", PORT="8123")
    assert result.stdout.split() == ["tracktwo.site.postgresql", "8123"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORT", "eighty", "PORT='eighty' is not a whole number"),
        ("PORT", "70000", "PORT=70000 is out of range"),
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        (
            "DATABASE_URL",
            "mysql2://x",
            "DATABASE_URL: engine 'django.db.backends.mysql' is not supported",
        ),
        ("DATABASE_URL", "nonsense", "DATABASE_URL is not a usable database URL"),
        ("TRACKTWO_ENV", "staging", "TRACKTWO_ENV='staging' must be one of"),
        ("ALLOWED_HOSTS", "a,,b", "ALLOWED_HOSTS='a,,b' has an empty entry"),
        ("SECRET_KEY", "short", "SECRET_KEY is too weak: it must be at least 50 characters"),
    ],
)
def test_it_fails_loudly_on_a_bad_value(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    result = load_settings(tmp_path, **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_it_requires_a_secret_key_and_hosts_in_production(tmp_path: Path) -> None:
    result = load_settings(tmp_path, TRACKTWO_ENV="production", ALLOWED_HOSTS="t2.example.org")
    assert "SECRET_KEY is required when TRACKTWO_ENV=production" in result.stderr
    strong = "Zq8-" + "".join(chr(ord("a") + i % 26) + str(i % 10) for i in range(30))
    result = load_settings(tmp_path, TRACKTWO_ENV="production", SECRET_KEY=strong)
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_it_parses_booleans_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env.env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env.env_bool("X_FLAG", True) is False
    monkeypatch.delenv("X_FLAG")
    assert env.env_bool("X_FLAG", True) is True
