"""Run the test suite on SQLite, then the database tests again on PostgreSQL.

Used by ``make test``. Under ``CI=true`` every part is mandatory: an unreachable
PostgreSQL fails the run. Elsewhere a missing PostgreSQL is skipped with a
one-line message saying what to install.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time

DEFAULT_PG = "postgres://127.0.0.1:5432/test"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def postgres_reachable(url: str) -> str | None:
    """None when a PostgreSQL server answers at ``url``, else the reason."""
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def pytest(label: str, extra_env: dict[str, str], args: list[str]) -> int:
    print(f"\n=== tests on {label} ===", flush=True)
    env = {**os.environ, **extra_env}
    started, before = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    # Whole files to whichever process is free, longest first (tests/file_order.py).
    command = [
        sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder",
        *args,
    ]  # fmt: skip
    status = subprocess.call(command, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    minutes, seconds = divmod(round(time.monotonic() - started), 60)
    print(
        f"=== {label}: {minutes} min {seconds:02d} s, {cpu / 60:.1f} min of CPU "
        "(this process's children, as they ended) ===",
        flush=True,
    )
    return status


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="tracktwo-test-") as data_dir:
        base = {"TRACKTWO_DATA_DIR": data_dir}
        sqlite_env = {**base, "DATABASE_URL": f"sqlite:///{data_dir}/test.sqlite3"}
        status = pytest("SQLite", sqlite_env, argv)
        pg_url = os.environ.get("TRACKTWO_TEST_DATABASE_URL", DEFAULT_PG)
        reason = postgres_reachable(pg_url)
        if reason is None:
            pg_env = {**base, "DATABASE_URL": pg_url, "TRACKTWO_TEST_ON_POSTGRES": "1"}
            pg_status = pytest("PostgreSQL", pg_env, ["-m", "database", *argv])
            status = status or pg_status
        elif in_ci():
            print(
                f"FAILED: PostgreSQL is required under CI=true but {pg_url} is unreachable: "
                f"{reason}",
                flush=True,
            )
            status = status or 1
        else:
            print(
                f"SKIPPED: PostgreSQL suite ({pg_url} unreachable: {reason}); install "
                "PostgreSQL or set TRACKTWO_TEST_DATABASE_URL to run it",
                flush=True,
            )
    print("\n=== make test: " + ("passed" if status == 0 else "FAILED") + " ===", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
