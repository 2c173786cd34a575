"""``tracktwo facilitator add NAME``: create an account non-interactively and issue an API token.

The token is printed alone on the last line of the output, so scripts can take
it with ``tail -n 1``. It is shown once: only its SHA-256 digest is stored.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tracktwo.cli import UsageError, start_django


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="create a facilitator account and print an API token on the last line",
        description="Create a facilitator account and print a new API token alone on the last "
        "line of the output (shown once). Without --password-file the account cannot sign in "
        "on the web until a password is set; it can use the API token.",
    )
    add.add_argument("name", metavar="NAME", help="the account's sign-in name")
    add.add_argument(
        "--password-file",
        type=Path,
        help="file whose first line is the web sign-in password (at least 12 characters)",
    )
    add.add_argument("--email", default="", help="contact email address (optional)")
    add.add_argument(
        "--convener", action="store_true", help="the account may also convene initiatives"
    )
    add.add_argument(
        "--token-name", default="cli", help="name of the issued API token (default: cli)"
    )


def _read_password(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--password-file {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"--password-file {path}: cannot read it ({reason})") from None
    lines = text.splitlines()
    password = lines[0] if lines else ""
    if not password:
        raise UsageError(f"--password-file {path}: the first line is empty")
    return password


def run(args: argparse.Namespace) -> int:
    password = _read_password(args.password_file) if args.password_file else None
    start_django()
    from django.db import transaction

    from tracktwo.accounts import actions
    from tracktwo.safety.audit import Actor
    from tracktwo.safety.keys import MasterKeyError

    try:
        with transaction.atomic():
            user = actions.create_account(
                args.name,
                password=password,
                email=args.email.strip(),
                convener=args.convener,
                actor=Actor.operator(),
            )
            _, token = actions.issue_token(user, args.token_name, actor=Actor.operator())
    except actions.AccountError as exc:
        raise UsageError(str(exc)) from None
    except MasterKeyError as exc:
        raise UsageError(str(exc)) from None
    role = "convener and facilitator" if args.convener else "facilitator"
    print(f"created {role} account {user.get_username()!r}")
    if password is None:
        print("no password set: web sign-in needs one (use --password-file)")
    print(f"API token {args.token_name!r} (shown once, store it now):")
    print(token, flush=True)
    return 0
