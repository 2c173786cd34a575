"""Keep IP addresses and secrets out of log lines.

:class:`RedactingFormatter` is the formatter of every handler in
``settings.LOGGING``: it rewrites the message and any traceback (never the
timestamp) so that IPv4/IPv6 addresses, tracktwo tokens (``t2u_``, ``t2p_`` and
any other ``t2?_`` prefix), bearer credentials and ``token=...`` parameters
appear as ``[ip]`` or ``[token]``.
"""

from __future__ import annotations

import copy
import ipaddress
import logging
import re

_TOKEN = re.compile(r"\bt2[a-z]_[A-Za-z0-9_\-]{6,}")
_BEARER = re.compile(r"(?i)\b(bearer)\s+\S+")
_TOKEN_PARAM = re.compile(r"(?i)\b((?:token|key|code|secret|password)=)[^&\s'\"]+")
# Candidates only; each is confirmed with the ipaddress module, so "12:30:05" stays.
_IP_CANDIDATE = re.compile(r"[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*[0-9A-Fa-f]|::")


def _ip_or_text(match: re.Match[str]) -> str:
    text = match.group(0)
    candidate = text.strip("[]")
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        # "203.0.113.9:8000" or "[2001:db8::1]:443": an address followed by a port.
        host = candidate.rsplit(":", 1)[0].strip("[]") if candidate.count(".") == 3 else ""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return text
    return "[ip]"


def redact(text: str) -> str:
    """``text`` without IP addresses or tokens."""
    text = _TOKEN.sub("[token]", text)
    text = _BEARER.sub(r"\1 [token]", text)
    text = _TOKEN_PARAM.sub(r"\1[token]", text)
    return _IP_CANDIDATE.sub(_ip_or_text, text)


class RedactingFormatter(logging.Formatter):
    """A formatter whose message and traceback are passed through :func:`redact`."""

    def format(self, record: logging.LogRecord) -> str:
        clean = copy.copy(record)
        clean.msg = redact(record.getMessage())
        clean.args = None
        if record.exc_info and not record.exc_text:
            clean.exc_text = self.formatException(record.exc_info)
        if clean.exc_text:
            clean.exc_text = redact(clean.exc_text)
        clean.exc_info = None
        if record.stack_info:
            clean.stack_info = redact(record.stack_info)
        return super().format(clean)
