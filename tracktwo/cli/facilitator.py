"""``tracktwo facilitator add NAME`` and ``tracktwo facilitator reset NAME``.

``add`` creates an account and issues an API token, printed alone on the last line of the
output (shown once: only its SHA-256 digest is stored), so scripts can take it with
``tail -n 1``. The web password comes from ``--password-file``; otherwise, on a terminal,
it is asked for (twice, not echoed); off a terminal a one-time set-password link is printed
instead. ``reset`` prints a new one-time link for an existing account (the old password
keeps working until the link is used).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from tracktwo.cli import UsageError, start_django


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="create a facilitator account and print an API token on the last line",
        description="Create a facilitator account and print a new API token alone on the last "
        "line of the output (shown once). The web password comes from --password-file; "
        "without it the password is asked for on a terminal, or, off a terminal (or with "
        "--link), a one-time set-password link is printed.",
    )
    add.add_argument("name", metavar="NAME", help="the account's sign-in name")
    add.add_argument(
        "--password-file",
        type=Path,
        help="file whose first line is the web sign-in password (at least 12 characters)",
    )
    add.add_argument(
        "--link", action="store_true", help="print a one-time set-password link, do not ask"
    )
    add.add_argument("--email", default="", help="contact email address (optional)")
    add.add_argument(
        "--convener",
        action="store_true",
        help="the account may also create initiatives (only conveners may)",
    )
    add.add_argument(
        "--operator",
        action="store_true",
        help="the account may also use the operator's admin at /operator/ "
        "(TRACKTWO_ADMIN_PATH), where accounts are marked as conveners",
    )
    add.add_argument(
        "--token-name", default="cli", help="name of the issued API token (default: cli)"
    )
    reset = actions.add_parser(
        "reset",
        help="print a one-time link to set a new password",
        description="Print a one-time link with which the account's owner sets a new web "
        "password (valid three days, or until a password is set).",
    )
    reset.add_argument("name", metavar="NAME", help="the account's sign-in name")


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


def _ask_password() -> str:
    """The password typed twice on the terminal (not echoed)."""
    try:
        first = getpass.getpass("Web sign-in password (at least 12 characters): ")
        again = getpass.getpass("The same password again: ")
    except (EOFError, KeyboardInterrupt):
        raise UsageError("no password given") from None
    if first != again:
        raise UsageError("the two passwords differ")
    if not first:
        raise UsageError("the password is empty (or use --link for a set-password link)")
    return first


def _password(args: argparse.Namespace) -> str | None:
    if args.password_file:
        return _read_password(args.password_file)
    if not args.link and sys.stdin.isatty():
        return _ask_password()
    return None


def run(args: argparse.Namespace) -> int:
    if args.action == "reset":
        return _reset(args.name)
    password = _password(args)
    start_django()
    from django.db import transaction

    from tracktwo.accounts import actions, password_links
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
                operator=args.operator,
            )
            link = None if password else password_links.issue_link(user, Actor.operator())
            _, token = actions.issue_token(user, args.token_name, actor=Actor.operator())
    except (actions.AccountError, MasterKeyError) as exc:
        raise UsageError(str(exc)) from None
    role = "convener and facilitator" if args.convener else "facilitator"
    if args.operator:
        role = f"operator and {role}"
    print(f"created {role} account {user.get_username()!r}")
    if link is not None:
        print("To choose a web sign-in password, open this one-time link (valid three days):")
        print(f"  {link}")
    print(f"API token {args.token_name!r} (shown once, store it now):")
    print(token, flush=True)
    return 0


def _reset(name: str) -> int:
    start_django()
    from tracktwo.accounts import password_links
    from tracktwo.accounts.actions import AccountError
    from tracktwo.accounts.models import User
    from tracktwo.safety.audit import Actor

    user = User.objects.filter(username=name).first()
    if user is None:
        raise UsageError(f"no account named {name!r}")
    try:
        link = password_links.issue_link(user, Actor.operator())
    except AccountError as exc:
        raise UsageError(str(exc)) from None
    print(f"One-time link for {name!r} to set a new password (valid three days):")
    print(link, flush=True)
    return 0
