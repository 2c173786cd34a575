"""``manage.py check --deploy`` is clean with production settings (HSTS, secure cookies...)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tracktwo.safety.keys import write_master_key


def test_it_passes_check_deploy_in_production(tmp_path: Path) -> None:
    key_file = tmp_path / "keys" / "master.key"
    write_master_key(key_file, secrets.token_bytes(32))
    environ = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        {
            "TRACKTWO_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(45)[:60],
            "ALLOWED_HOSTS": "dialogue.example.org",
            "TRACKTWO_DATA_DIR": str(tmp_path / "data"),
            "TRACKTWO_MASTER_KEY_FILE": str(key_file),
        }
    )
    assert len(environ["SECRET_KEY"]) == 60
    result = subprocess.run(
        [sys.executable, "-m", "tracktwo.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_turns_on_hsts_and_secure_cookies_in_production(tmp_path: Path) -> None:
    environ = {
        **os.environ,
        "TRACKTWO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "dialogue.example.org",
        "TRACKTWO_DATA_DIR": str(tmp_path),
    }
    code = (
        "import tracktwo.site.settings as s; print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.TRACKTWO_TOTP_REQUIRED)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=False
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True"], result.stderr
