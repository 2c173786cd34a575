"""No IP address or token reaches the logs, through the handlers settings.LOGGING configures."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from tracktwo.accounts.redact import RedactingFormatter

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.50"
CLIENT_IP6 = "2001:db8:5::77"
TOKEN = "t2u_" + "Q" * 43
INVITATION = "t2i_" + "R" * 43
PARTICIPANT = "t2p_" + "S" * 43


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything the configured handlers write, captured from their streams."""
    buffer = io.StringIO()
    handlers: dict[int, logging.Handler] = {}
    for name in ("", "django", "django.request", "django.security", "tracktwo"):
        for handler in logging.getLogger(name).handlers:
            handlers[id(handler)] = handler
    streams = [
        h
        for h in handlers.values()
        if isinstance(h, logging.StreamHandler) and isinstance(h.formatter, RedactingFormatter)
    ]
    assert streams, "settings.LOGGING configures stream handlers"
    # Swap the streams directly: setStream() would flush the old stream, which may be a
    # capture stream pytest has already closed.
    previous = [h.stream for h in streams]
    for handler in streams:
        handler.stream = buffer
    try:
        yield buffer
    finally:
        for handler, stream in zip(streams, previous, strict=True):
            handler.stream = stream


def _leaks(text: str) -> list[str]:
    secrets = (CLIENT_IP, CLIENT_IP6, TOKEN, TOKEN[4:], INVITATION[4:], PARTICIPANT[4:])
    return [secret for secret in secrets if secret in text]


def test_it_logs_no_address_or_token_for_404_403_and_bad_tokens(log_output: io.StringIO) -> None:
    client = Client(REMOTE_ADDR=CLIENT_IP, enforce_csrf_checks=True)
    assert client.get(f"/join/{INVITATION}", follow=True).status_code == 404
    assert client.get(f"/accounts/sign-in?token={INVITATION}").status_code == 200
    refused = client.post(f"/accounts/sign-in?next=/join/{INVITATION}", {"username": "x"})
    assert refused.status_code == 403
    bad = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert bad.status_code == 401
    assert (
        Client(REMOTE_ADDR=CLIENT_IP6)
        .get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {PARTICIPANT}")
        .status_code
        == 401
    )
    assert client.get("/accounts/sign-in", HTTP_HOST=CLIENT_IP).status_code == 400
    text = log_output.getvalue()
    assert "Forbidden (CSRF" in text, "the CSRF failure is logged (without details)"
    assert "Invalid HTTP_HOST header" in text
    assert _leaks(text) == [], text


def test_it_redacts_addresses_and_tokens_in_errors_and_tracebacks(
    log_output: io.StringIO,
) -> None:
    try:
        raise ValueError(f"lookup failed for {PARTICIPANT} from {CLIENT_IP6}")
    except ValueError:
        logging.getLogger("django.request").exception(
            "Internal Server Error: /join/%s (client %s)", INVITATION, CLIENT_IP
        )
    logging.getLogger("tracktwo").warning("Authorization: Bearer %s", TOKEN)
    text = log_output.getvalue()
    assert "Internal Server Error: /join/[token] (client [ip])" in text
    assert "ValueError: lookup failed for [token] from [ip]" in text
    assert "Authorization: Bearer [token]" in text
    assert _leaks(text) == [], text
