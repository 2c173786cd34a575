"""Production refuses a weak or example SECRET_KEY with a clear message; the SQLite files
are created readable by their owner only (0600, like the keys); an oversized request body
is answered 413 with one line, and no traceback is logged."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tracktwo.site import env

STRONG = "Zq8-" + "".join(chr(ord("a") + i % 26) + str(i % 10) for i in range(30))


def _settings(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    environ.update({"TRACKTWO_DATA_DIR": str(tmp_path), **overrides})
    code = "import tracktwo.site.settings as s; print(s.DATABASES['default']['NAME'])"
    return subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("django-insecure-" + "x1y2z3" * 10, "it contains 'django-insecure'"),
        ("k" * 60, "it repeats too few different characters"),
        ("changeme-" + STRONG, "it contains 'changeme'"),
    ],
)
def test_it_refuses_a_weak_key_in_production(tmp_path: Path, key: str, why: str) -> None:
    result = _settings(
        tmp_path, TRACKTWO_ENV="production", ALLOWED_HOSTS="t2.example.org", SECRET_KEY=key
    )
    assert result.returncode != 0
    assert f"SECRET_KEY is too weak: {why}" in result.stderr
    assert "secrets.token_urlsafe(64)" in result.stderr


def test_it_names_the_weakness_only_in_production() -> None:
    assert env.weak_secret_key(STRONG) is None
    assert env.weak_secret_key("k" * 60) is not None


def test_it_creates_the_database_file_0600(tmp_path: Path) -> None:
    result = _settings(tmp_path)
    assert result.returncode == 0, result.stderr
    database = Path(result.stdout.strip())
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    database.chmod(0o644)
    assert _settings(tmp_path).returncode == 0
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/dialogues", "/accounts/sign-in"])
def test_it_answers_a_ten_megabyte_body_with_413(
    path: str, caplog: pytest.LogCaptureFixture
) -> None:
    body = b"x" * (10 * 1024 * 1024)
    with caplog.at_level(logging.DEBUG):
        answer = Client().generic("POST", path, body, content_type="application/json")
    assert answer.status_code == 413
    assert b"too large" in answer.content
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]
