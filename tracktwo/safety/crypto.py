"""Encryption at rest: AES-256-GCM under a data key per initiative, wrapped by the master key.

Layout of a sealed value (bytes)::

    b"T2" | version (1 byte) | key version (4 bytes, big-endian) | nonce (12) | ciphertext+tag

The associated data binds a ciphertext to where it belongs (for example
``b"dialogues.Statement.text:initiative=7"``), so a value copied into another
row, field or initiative fails to open instead of showing the wrong text.
"""

from __future__ import annotations

import hashlib
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"T2"
FORMAT_VERSION = 1
_HEADER = struct.Struct(">2sBI")
NONCE_BYTES = 12
KEY_BYTES = 32


class DecryptionError(Exception):
    """A sealed value cannot be opened: wrong key, wrong place, or tampered with."""


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, plaintext: bytes, associated_data: bytes, key_version: int = 1) -> bytes:
    """Encrypt and authenticate ``plaintext`` under ``key``, bound to ``associated_data``."""
    nonce = os.urandom(NONCE_BYTES)
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, key_version)
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header + associated_data)


def key_version_of(sealed: bytes) -> int:
    """The key version a sealed value was written under."""
    magic, version, key_version = _HEADER.unpack_from(sealed)
    if magic != MAGIC or version != FORMAT_VERSION:
        raise DecryptionError("not a tracktwo sealed value")
    return int(key_version)


def open_sealed(key: bytes, sealed: bytes, associated_data: bytes) -> bytes:
    """Decrypt a value made by :func:`seal`; :class:`DecryptionError` if it does not open."""
    if len(sealed) < _HEADER.size + NONCE_BYTES + 16:
        raise DecryptionError("sealed value is too short")
    key_version_of(sealed)
    header = sealed[: _HEADER.size]
    nonce = sealed[_HEADER.size : _HEADER.size + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(
            nonce, sealed[_HEADER.size + NONCE_BYTES :], header + associated_data
        )
    except InvalidTag:
        raise DecryptionError("sealed value does not open with this key and context") from None


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 256-bit key for one purpose (e.g. ``"accounts.totp"``), derived from the master key."""
    return HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(
        master
    )


def token_digest(raw: str) -> str:
    """SHA-256 (hex) of a raw bearer, invitation or link token: the only form stored."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
