"""``tracktwo serve`` migrates, serves /healthz under granian on the chosen port, logs each
request as method, status and duration only, and stops gracefully on SIGTERM."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
                assert server.poll() is None, server.communicate()[0]
                time.sleep(0.3)
        assert body == (200, {"status": "ok", "database": "sqlite"})
        assert (tmp_path / "tracktwo.sqlite3").exists()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=20)[0]
    assert server.returncode == 0, output  # a graceful stop, not a kill
    assert f"tracktwo serving on http://127.0.0.1:{port}/" in output
    assert re.search(r"^GET 200 \d+\.\dms$", output, flags=re.M), output  # the access log
    # No client address, path, query string or user agent in any line.
    assert "127.0.0.1 -" not in output
    assert "healthz" not in output and "t2p_query" not in output
    assert "Python-urllib" not in output
