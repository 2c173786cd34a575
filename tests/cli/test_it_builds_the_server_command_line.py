"""The granian command ``tracktwo serve`` executes: WSGI, workers and threads, and an access
log of method, status and duration only (no address, path, query string or header)."""

from __future__ import annotations

import argparse
import re

import pytest

from tracktwo.cli import UsageError, serve


def test_it_runs_the_site_under_granian_with_threads() -> None:
    argv = serve.granian_argv("192.0.2.10", 8080, 3, 12)
    assert argv[1:3] == ["-m", "granian"]
    assert argv[-1] == "tracktwo.site.wsgi:application"

    def option(name: str) -> str:
        return argv[argv.index(name) + 1]

    assert option("--interface") == "wsgi"
    assert (option("--host"), option("--port")) == ("192.0.2.10", "8080")
    assert (option("--workers"), option("--blocking-threads")) == ("3", "12")
    assert option("--workers-kill-timeout") == "10"  # graceful stop, bounded
    # Keep-alive connections hold a slot each: room for a large session's phones.
    assert int(option("--backpressure")) >= 4096


def test_it_logs_method_status_and_duration_only() -> None:
    argv = serve.granian_argv("127.0.0.1", 8000, 1, 4)
    assert "--access-log" in argv
    fmt = argv[argv.index("--access-log-fmt") + 1]
    assert set(re.findall(r"%\((\w+)\)", fmt)) == {"method", "status", "dt_ms"}
    assert "header" not in fmt and "{" not in fmt
    # Nothing else granian can log about a request is asked for.
    for atom in ("addr", "path", "query_string", "scheme", "protocol", "time"):
        assert f"%({atom})" not in fmt


def _args(**values: object) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    namespace = parser.parse_args([])
    for key, value in values.items():
        setattr(namespace, key, value)
    return namespace


def test_it_takes_workers_and_threads_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    executed: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: executed.append(argv))
    monkeypatch.setenv("TRACKTWO_WORKERS", "2")
    monkeypatch.setenv("TRACKTWO_THREADS", "24")
    serve.run(_args(no_migrate=True, port=8123))
    argv = executed[-1]
    assert argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--blocking-threads") + 1] == "24"
    serve.run(_args(no_migrate=True, port=8123, workers=1, threads=3))
    argv = executed[-1]
    assert argv[argv.index("--workers") + 1] == "1"
    assert argv[argv.index("--blocking-threads") + 1] == "3"


@pytest.mark.parametrize(
    ("values", "environ", "message"),
    [
        ({"workers": 0}, {}, "--workers"),
        ({"threads": 0}, {}, "--threads"),
        ({"threads": 1000}, {}, "--threads"),
        ({}, {"TRACKTWO_THREADS": "many"}, "TRACKTWO_THREADS"),
        ({}, {"TRACKTWO_WORKERS": "two"}, "TRACKTWO_WORKERS"),
        ({"port": 70000}, {}, "--port"),
    ],
)
def test_it_refuses_impossible_settings(
    monkeypatch: pytest.MonkeyPatch,
    values: dict[str, object],
    environ: dict[str, str],
    message: str,
) -> None:
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: pytest.fail("must not start"))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UsageError, match=message):
        serve.run(_args(no_migrate=True, **{"port": 8123, **values}))
