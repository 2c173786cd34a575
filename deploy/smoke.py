"""Smoke test of a fresh multi-process deployment (docs/deployment.md): run it with the
site's environment (the same DATABASE_URL, REDIS_URL, TRACKTWO_DATA_DIR) on a machine that
reaches every app process directly:

    .venv/bin/python deploy/smoke.py --ports 8001,8002
    .venv/bin/python deploy/smoke.py --ports 8001,8002 --proxy https://dialogue.example.org

It creates a throw-away initiative ("Smoke test") with one dialogue and six participants,
votes through the first app process, reads the live analysis through every other one until
each shows every vote (the worker computed it once and Redis shared it), checks that the
per-participant rate limit is shared, then deletes the initiative again (its data key and
rows; the master key is not rotated). With ``--proxy URL`` the votes go through the TLS proxy
instead (``--cafile PEM`` for a certificate of your own authority), and the proxy must also
show the analysis. Exit status 0 when all holds.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")


TLS: ssl.SSLContext | None = None


def call(where: int | str, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
    """``where``: an app process's port on this machine, or the proxy's base URL."""
    base = f"http://127.0.0.1:{where}" if isinstance(where, int) else where.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise SystemExit(f"--proxy: not an http(s) URL: {where}")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if isinstance(where, int):
        # straight to an app process, as the proxy would ask it: the site's own host name
        # (production answers no other) and the scheme the proxy terminated
        hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
        if hosts and not hosts[0].startswith("."):
            headers["Host"] = hosts[0]
        headers["X-Forwarded-Proto"] = "https"
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        f"{base}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=10, context=TLS) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def seed() -> tuple[int, int, list[int], list[str], str]:
    import django

    django.setup()
    from django.db import transaction

    from tracktwo.accounts import actions as accounts
    from tracktwo.dialogues import actions
    from tracktwo.initiatives import actions as initiatives

    with transaction.atomic():
        user = accounts.create_account(f"smoke-{int(time.time())}", password=None, convener=True)
        initiative = initiatives.create_initiative(user, "Smoke test", ["North", "South"])
        dialogue = actions.create_dialogue(
            initiative, "Smoke test", "problem-solving-workshop", "chatham-house", user
        )
        parties = list(initiative.parties.order_by("position"))
        statements = [
            actions.write_statement(dialogue, f"Smoke statement {i}", user=user).pk
            for i in range(4)
        ]
        tokens = []
        for i in range(6):
            _, raw = actions.create_invitation(dialogue, party=parties[i % 2], by=user, track=4)
            tokens.append(actions.join(raw, f"smoke voter {i}", True).token)
        _, facilitator = accounts.issue_token(user, "smoke")
    return initiative.pk, dialogue.pk, statements, tokens, facilitator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ports", required=True, help="the app processes' ports, comma-separated")
    parser.add_argument("--proxy", help="the TLS proxy's base URL: vote through it")
    parser.add_argument(
        "--cafile", help="the certificate authority the proxy's certificate is from"
    )
    args = parser.parse_args(argv)
    global TLS
    if args.cafile:
        TLS = ssl.create_default_context(cafile=args.cafile)
    ports = [int(p) for p in args.ports.split(",")]
    entry: int | str = args.proxy or ports[0]
    readers: list[int | str] = [*ports, *([args.proxy] if args.proxy else [])]
    initiative, dialogue, statements, tokens, facilitator = seed()
    from tracktwo.safety.audit import Actor
    from tracktwo.safety.retention import wipe

    ok = True
    try:
        votes = 0
        for voter, token in enumerate(tokens):
            for i, statement in enumerate(statements):
                body = {"statement": statement, "vote": ("agree", "disagree")[(voter + i) % 2]}
                status, _ = call(entry, "POST", f"/api/v1/dialogues/{dialogue}/votes", token, body)
                votes += status == 201
        print(f"{votes} votes answered 201 by {_name(entry)}")
        for port in readers:
            started, seen = time.monotonic(), None
            while time.monotonic() - started < 30:
                status, seen = call(
                    port, "GET", f"/api/v1/dialogues/{dialogue}/analysis", facilitator
                )
                if status == 200 and seen.get("votes_counted") == votes and not seen.get("stale"):
                    break
                time.sleep(0.5)
            counted = seen.get("votes_counted") if isinstance(seen, dict) else seen
            good = counted == votes
            ok &= good
            print(f"{_name(port)}: analysis counts {counted} votes after "
                  f"{time.monotonic() - started:.1f} s {'ok' if good else 'FAILED'}")  # fmt: skip
    finally:
        wipe(initiative, actor=Actor.operator(), rotate_master=False)
        print("smoke-test initiative deleted")
    return 0 if ok else 1


def _name(where: int | str) -> str:
    return f"port {where}" if isinstance(where, int) else f"the proxy {where}"


if __name__ == "__main__":
    sys.exit(main())
