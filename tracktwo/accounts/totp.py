"""TOTP second factor (RFC 6238, 30-second steps, 6 digits) with sealed seeds and no replay.

The seed is sealed with AES-GCM under ``site_key("accounts.totp")`` (derived from
the master key) and bound to the user's id, so a database dump alone does not
give the second factor away. A code is accepted for the previous, current or
next time step, and only if that step is later than the last one accepted.
The QR code is drawn here as inline SVG: no third-party service sees the seed.
"""

from __future__ import annotations

import hmac
import re
import time

import pyotp
import segno
from django.conf import settings

from tracktwo.safety.crypto import open_sealed, seal
from tracktwo.safety.keys import site_key

STEP_SECONDS = 30
DRIFT_STEPS = 1
_CODE = re.compile(r"^\d{6}$")


def _context(user_id: int) -> bytes:
    return f"accounts.TotpDevice.secret:user={user_id}".encode()


def new_secret() -> str:
    """A fresh base32 seed (160 bits)."""
    return pyotp.random_base32()


def seal_secret(user_id: int, secret: str) -> bytes:
    return seal(site_key("accounts.totp"), secret.encode(), _context(user_id))


def open_secret(user_id: int, sealed: bytes | memoryview) -> str:
    return open_sealed(site_key("accounts.totp"), bytes(sealed), _context(user_id)).decode()


def provisioning_uri(secret: str, account_name: str) -> str:
    """The ``otpauth://`` URI authenticator apps read; the issuer is neutral (``TOTP_ISSUER``)."""
    issuer: str = settings.TRACKTWO_TOTP_ISSUER
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> str:
    """The URI as an inline SVG QR code, drawn on this server."""
    return str(
        segno.make(uri, error="m").svg_inline(
            scale=5, dark="#000", light="#fff", svgclass="qr", title=title
        )
    )


def normalise_code(raw: str) -> str | None:
    """The six digits of a typed code (spaces and dashes ignored), or None if it is not one."""
    code = re.sub(r"[\s-]", "", raw or "")
    return code if _CODE.match(code) else None


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code equals ``code`` (within one step of drift), else None."""
    now = time.time() if at is None else at
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    found: int | None = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        expected = totp.at(step * STEP_SECONDS)
        # Compare every candidate so the time taken does not depend on which one matched.
        if hmac.compare_digest(expected, code) and found is None:
            found = step
    return found
