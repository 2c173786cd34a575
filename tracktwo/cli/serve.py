"""``tracktwo serve``: migrate, then run gunicorn on PORT."""

from __future__ import annotations

import argparse
import os
import sys

from tracktwo.cli import UsageError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default=os.environ.get("TRACKTWO_HOST", "127.0.0.1"),
        help="address to bind (default TRACKTWO_HOST or 127.0.0.1)",
    )
    parser.add_argument("--port", type=int, default=None, help="port (default PORT or 8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("TRACKTWO_WORKERS", "2")),
        help="gunicorn sync workers (default TRACKTWO_WORKERS or 2)",
    )
    parser.add_argument("--no-migrate", action="store_true", help="skip applying migrations")


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line ``serve`` executes."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "tracktwo.site.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "-",
        # No IP addresses, paths or user agents in access logs: method, status, duration only.
        "--access-logformat",
        "%(m)s %(s)s %(M)sms",
        "--graceful-timeout",
        "10",
    ]


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
    from tracktwo.site.env import ConfigurationError

    try:
        import django

        django.setup()
        from django.conf import settings
    except ConfigurationError as exc:
        raise UsageError(str(exc)) from None
    port = args.port if args.port is not None else settings.PORT
    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is out of range (1..65535)")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if not args.no_migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    print(f"tracktwo serving on http://{args.host}:{port}/", flush=True)
    argv = gunicorn_argv(args.host, port, args.workers)
    os.execv(argv[0], argv)  # noqa: S606 - a fixed argv, no shell
    return 0  # pragma: no cover - execv does not return
