"""``tracktwo serve`` migrates, serves /healthz under granian on the chosen port, logs each
request as method, status and duration only, and stops gracefully on SIGTERM."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


ACCESS_LINE = re.compile(r"^GET 200 \d+\.\dms$", flags=re.M)


def read_lines(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line)


def test_it_serves_healthz_on_port(tmp_path: Path) -> None:
    port = free_port()
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(tmp_path), "PORT": str(port)}
    environ.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tracktwo.cli", "serve", "--workers", "1", "--threads", "2"],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # granian writes a request's access-log line after the response has left, so the test
    # reads the output as it comes and stops the server only once the line is there.
    lines: list[str] = []
    assert server.stdout is not None
    reader = threading.Thread(target=read_lines, args=(server.stdout, lines), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        body = None
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/healthz?secret=t2p_query", timeout=2
                ) as r:
                    body = (r.status, json.loads(r.read()))
            except OSError:
                assert server.poll() is None, "".join(lines)
                time.sleep(0.3)
        assert body == (200, {"status": "ok", "database": "sqlite"})
        assert (tmp_path / "tracktwo.sqlite3").exists()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not ACCESS_LINE.search("".join(lines)):
            time.sleep(0.05)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        reader.join(timeout=20)
    output = "".join(lines)
    assert server.returncode == 0, output  # a graceful stop, not a kill
    assert f"tracktwo serving on http://127.0.0.1:{port}/" in output
    assert ACCESS_LINE.search(output), output  # the access log
    # No client address, path, query string or user agent in any line.
    assert "127.0.0.1 -" not in output
    assert "healthz" not in output and "t2p_query" not in output
    assert "Python-urllib" not in output
