"""Calling the WSGI application as a server does: the status line, headers and bytes it gives."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any
    status_line: str = ""
    header_list: list[tuple[str, str]] = field(default_factory=list)
    content: bytes = b""


@dataclass
class Served:
    """The WSGI application as ``tracktwo.site.wsgi`` builds it, recording which lane ran."""

    app: Callable[..., Any]
    lanes: list[str]
    # Inside a test's transaction, Django's connection clean-up around requests is held off
    # as Django's test client holds it off; a transactional test can keep it (False).
    hold_clean_up: bool = True

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        cookie: str = "",
        data: bytes | None = None,
        **extra: str,
    ) -> Answer:
        raw = json.dumps(body).encode() if body is not None else data or b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **extra,
        }
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        started: list[tuple[str, list[tuple[str, str]]]] = []
        # As Django's test client does, around each request: the test's transaction must
        # outlive the request (the client connects these again after each of its own).
        if self.hold_clean_up:
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
        try:
            chunks = self.app(
                environ, lambda status, headers, exc=None: started.append((status, headers))
            )
            content = b"".join(chunks)
            getattr(chunks, "close", lambda: None)()
        finally:
            if self.hold_clean_up:
                request_started.connect(close_old_connections)
                request_finished.connect(close_old_connections)
        status, headers = started[0]
        parsed = json.loads(content) if content.startswith((b"{", b"[")) else content
        return Answer(int(status.split()[0]), dict(headers), parsed, status, list(headers), content)
