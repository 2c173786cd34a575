"""``tracktwo worker``: run a Celery worker for this site (needs ``REDIS_URL``).

    tracktwo worker [--concurrency N]

It takes the tasks of :mod:`tracktwo.workers.tasks` (the live analysis refresh, briefs,
Pol.is exports, evaluation reports) from the Redis queue named by ``REDIS_URL``. One process
by default (Celery's ``solo`` pool: a task runs in the worker process itself); with
``--concurrency N`` above 1, a pool of N forked processes. Run as many workers, on as many
machines, as the load needs (docs/deployment.md); SIGTERM finishes the task under way.
"""

from __future__ import annotations

import argparse
import os

from tracktwo.cli import UsageError, start_django


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="tasks run at once, each in its own process (default TRACKTWO_WORKER_CONCURRENCY or 1)",
    )
    parser.add_argument(
        "--loglevel",
        default="INFO",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="log level",
    )


def celery_argv(concurrency: int, loglevel: str) -> list[str]:
    """The arguments given to Celery's worker."""
    pool = "solo" if concurrency == 1 else "prefork"
    return [
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--queues=tracktwo",
    ]


def run(args: argparse.Namespace) -> int:
    raw = os.environ.get("TRACKTWO_WORKER_CONCURRENCY", "").strip() or "1"
    if args.concurrency is not None:
        concurrency = args.concurrency
    elif raw.isdigit():
        concurrency = int(raw)
    else:
        raise UsageError(f"TRACKTWO_WORKER_CONCURRENCY must be a whole number, not {raw!r}")
    if not 1 <= concurrency <= 64:
        raise UsageError("--concurrency must be between 1 and 64")
    start_django()
    from tracktwo.workers import queue

    if not queue.enabled():
        raise UsageError(
            "REDIS_URL is not set: workers take their tasks from Redis (redis://host:6379/0); "
            "without it 'tracktwo serve' does everything in one process"
        )
    import redis

    try:
        redis.Redis.from_url(queue.app.conf.broker_url, socket_connect_timeout=3).ping()
    except redis.exceptions.RedisError as exc:
        raise UsageError(f"cannot reach Redis at REDIS_URL: {exc}") from None
    queue.app.worker_main(celery_argv(concurrency, args.loglevel))
    return 0
