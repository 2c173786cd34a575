"""``tracktwo serve``: migrate, then run the site under granian on PORT.

granian is an HTTP server written in Rust with a WSGI interface: it parses HTTP, keeps
connections alive and answers slow clients in native code, and runs the Django application
in a pool of *threads* per worker process. While one thread waits on the database (a
durable PostgreSQL commit is a ~5 ms ``fdatasync``), the GIL is released and the others
serve requests, so one process overlaps many commits -- which gunicorn's sync workers,
one request per process, could not (see docs/load.md).

Defaults: 1 worker of 16 threads (``TRACKTWO_WORKERS``, ``TRACKTWO_THREADS``), measured best
on 2 cores, where the database needs the other core; add a worker per two further cores,
each still of 16 threads: a thread holds a vote through the commit's wait, and fewer
threads per worker measured worse (2 x 8 and 4 x 4 against 2 x 16 and 4 x 16 at 1,000
votes/s, docs/deployment.md).
Each thread keeps its own database connection, so workers x threads must stay below
PostgreSQL's ``max_connections``. granian warns at start that 16 threads is "quite high"
for the number of cores: it assumes CPU-bound threads, and ours mostly wait on the database.
"""

from __future__ import annotations

import argparse
import os
import sys

from tracktwo.cli import UsageError, start_django

# Open client connections one worker holds at most (granian's "backpressure"). A keep-alive
# connection counts while it is open, idle or not (granian closes one idle for 30 s), and a
# connection past the limit waits, unanswered, for a slot: granian's default (1,024) is
# about the number of phones in one large session.
MAX_CONNECTIONS = 4096

# The access log: method, status and duration only. No client address, path (tokens and
# invitation codes can sit in paths), query string, user agent or referrer, ever.
ACCESS_LOG_FORMAT = "%(method)s %(status)d %(dt_ms).1fms"


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {raw!r}") from None


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
        default=None,
        help="worker processes (default TRACKTWO_WORKERS or 1)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="request threads per worker, each with its own database connection "
        "(default TRACKTWO_THREADS or 16)",
    )
    parser.add_argument("--no-migrate", action="store_true", help="skip applying migrations")


def granian_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    """The granian command line ``serve`` executes."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--backpressure",
        str(MAX_CONNECTIONS),
        "--no-ws",
        "--access-log",
        "--access-log-fmt",
        ACCESS_LOG_FORMAT,
        # SIGTERM/SIGINT: stop accepting, finish the requests in flight, then exit; a worker
        # still busy after 10 s is killed.
        "--workers-kill-timeout",
        "10",
        "--respawn-failed-workers",
        "tracktwo.site.wsgi:application",
    ]


def run(args: argparse.Namespace) -> int:
    workers = args.workers if args.workers is not None else _env_int("TRACKTWO_WORKERS", 1)
    threads = args.threads if args.threads is not None else _env_int("TRACKTWO_THREADS", 16)
    start_django(migrated=False)  # it applies the migrations itself
    from django.conf import settings

    port = args.port if args.port is not None else settings.PORT
    if not 1 <= port <= 65535:
        raise UsageError(f"--port {port} is out of range (1..65535)")
    if workers < 1:
        raise UsageError("--workers must be at least 1")
    if not 1 <= threads <= 256:
        raise UsageError("--threads must be between 1 and 256")
    if not args.no_migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    print(f"tracktwo serving on http://{args.host}:{port}/", flush=True)
    argv = granian_argv(args.host, port, workers, threads)
    os.execv(argv[0], argv)  # noqa: S606 - a fixed argv, no shell
    return 0  # pragma: no cover - execv does not return
