"""Onboarding without a password file: ``facilitator add`` asks on a terminal or prints a
one-time set-password link; ``facilitator reset`` prints a new link; the link's page sets
the password once. Real subprocesses, a real terminal (a pty), a fresh data folder."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from factories import run_python, site_environ
from schema_templates import migrated_site

PASSWORD = "a fresh long passphrase 9"
LINK = re.compile(r"http://127\.0\.0\.1:\d+(/accounts/set-password/[^/\s]+/[^/\s]+)")

USE_LINK = """
import os, sys, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
import django
django.setup()
from django.test import Client
from tracktwo.accounts.models import User
path, name, password = sys.argv[1:4]
client = Client()
page = client.get(path).content.decode()
differ = client.post(path, {"password": password, "again": password + "x"})
done = client.post(path, {"password": password, "again": password})
again = client.get(path).content.decode()
print(json.dumps({
    "form": "Set the password" in page,
    "differ": differ.status_code == 200 and "The two passwords differ." in differ.content.decode(),
    "done": done.status_code,
    "set": User.objects.get(username=name).check_password(password),
    "used": "This link is not valid" in again,
}))
"""


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_python(site_environ(data_dir), "-m", "tracktwo.cli", *args)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_site(tmp_path_factory.mktemp("password-links"))


def _use(data_dir: Path, path: str, name: str) -> dict[str, object]:
    import json

    result = run_python(site_environ(data_dir), "-c", USE_LINK, path, name, PASSWORD)
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_it_prints_a_one_time_link_off_a_terminal(data_dir: Path) -> None:
    added = _run(data_dir, "facilitator", "add", "farah")
    assert added.returncode == 0, added.stderr
    lines = added.stdout.splitlines()
    assert lines[-1].startswith("t2u_")  # the API token stays alone on the last line
    found = LINK.search(added.stdout)
    assert found is not None, added.stdout
    assert _use(data_dir, found.group(1), "farah") == {
        "form": True,
        "differ": True,
        "done": 302,
        "set": True,
        "used": True,
    }


def test_it_prints_a_reset_link(data_dir: Path) -> None:
    assert _run(data_dir, "facilitator", "add", "gil", "--link").returncode == 0
    reset = _run(data_dir, "facilitator", "reset", "gil")
    assert reset.returncode == 0, reset.stderr
    found = LINK.search(reset.stdout.splitlines()[-1])
    assert found is not None, reset.stdout
    assert _use(data_dir, found.group(1), "gil")["set"] is True


def test_it_refuses_a_reset_of_an_unknown_account_in_one_line(data_dir: Path) -> None:
    result = _run(data_dir, "facilitator", "reset", "nobody")
    assert result.returncode == 2
    assert result.stderr.strip() == "tracktwo facilitator: no account named 'nobody'"


def _converse(argv: list[str], environ: dict[str, str], answers: list[str]) -> str:
    """Run ``argv`` on a new terminal, typing ``answers`` at each password prompt."""
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its controlling terminal
        try:
            os.execve(sys.executable, [sys.executable, *argv], environ)  # noqa: S606 - fixed argv
        finally:
            os._exit(127)
    output = b""
    answered = 0  # where the output stood at the last answer: answer only a new prompt
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
        if answers and output[answered:].rstrip().endswith(b":"):
            os.write(master, answers.pop(0).encode() + b"\n")
            answered = len(output)
    else:
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return output.decode(errors="replace")


def test_it_asks_for_the_password_on_a_terminal(data_dir: Path) -> None:
    argv = ["-m", "tracktwo.cli", "facilitator", "add", "hana"]
    output = _converse(argv, site_environ(data_dir), [PASSWORD, PASSWORD])
    assert "Web sign-in password" in output and "The same password again" in output
    assert PASSWORD not in output  # not echoed
    assert "set-password" not in output
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='tracktwo.site.settings';"
        "django.setup(); from tracktwo.accounts.models import User;"
        f"print(User.objects.get(username='hana').check_password({PASSWORD!r}))"
    )
    checked = run_python(site_environ(data_dir), "-c", code)
    assert checked.stdout.strip() == "True", output + checked.stderr
