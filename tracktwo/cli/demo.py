"""``tracktwo demo [--if-absent]``: load a fictional sample initiative (local use only).

Creates the account ``demo-facilitator`` with a random password, printed and kept in
the data folder (``demo-password``, readable by its owner only) so that ``--if-absent``
can print it again. Refused when ``TRACKTWO_ENV=production``.
"""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path

from tracktwo.cli import UsageError, start_django

PASSWORD_FILE = "demo-password"  # noqa: S105 - a file name


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--if-absent",
        action="store_true",
        help="do nothing (but print how to sign in) when the demo is already loaded",
    )


def _password_file() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / PASSWORD_FILE


def _sign_in_lines(dialogue_id: int) -> list[str]:
    from django.conf import settings

    path = _password_file()
    password = path.read_text().strip() if path.exists() else "(unknown: delete the demo data)"
    base = f"http://127.0.0.1:{settings.PORT}"
    return [
        "",
        "=== Demo sign-in ===",
        f"The demo workshop is dialogue {dialogue_id}.",
        f"Sign in at {base}{settings.LOGIN_URL} as demo-facilitator",
        f"  password: {password}",
        "====================",
    ]


def run(args: argparse.Namespace) -> int:
    start_django()
    from django.conf import settings

    if settings.PRODUCTION:
        raise UsageError("the demo is for local use only: refused with TRACKTWO_ENV=production")
    from tracktwo.accounts.actions import AccountError
    from tracktwo.dialogues.demo import DEMO_USERNAME, find_demo, load_demo
    from tracktwo.safety.keys import MasterKeyError

    existing = find_demo()
    if existing is not None:
        if not args.if_absent:
            raise UsageError(
                f"the demo is already loaded (dialogue {existing.dialogue.pk}); "
                "use --if-absent to print how to sign in"
            )
        print("The demo is already loaded.")
        print("\n".join(_sign_in_lines(existing.dialogue.pk)))
        return 0
    from tracktwo.accounts.models import User

    if User.objects.filter(username=DEMO_USERNAME).exists():
        raise UsageError(f"an account named {DEMO_USERNAME} exists but holds no demo")
    password = secrets.token_urlsafe(12)
    try:
        demo = load_demo(password)
    except (AccountError, MasterKeyError) as exc:
        raise UsageError(str(exc)) from None
    path = _password_file()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    print(f"Loaded the demo: a fictional initiative with dialogue {demo.dialogue.pk}.")
    print("\n".join(_sign_in_lines(demo.dialogue.pk)))
    return 0
