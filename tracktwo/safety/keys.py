"""The master key: read from ``TRACKTWO_MASTER_KEY_FILE`` (generated under the data folder locally).

The master key never encrypts content directly. It wraps each initiative's data
key and the site secret that purpose keys derive from (:func:`site_key`). Keep it
off the database host: see docs/security.md.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from tracktwo.safety.crypto import KEY_BYTES, open_sealed, seal


class MasterKeyError(Exception):
    """The master key file is missing, unreadable or malformed."""


def master_key_path() -> Path:
    """Where the master key lives: ``TRACKTWO_MASTER_KEY_FILE`` or ``<data dir>/master.key``."""
    from_env = os.environ.get("TRACKTWO_MASTER_KEY_FILE", "").strip()
    if from_env:
        return Path(from_env)
    return Path(os.environ.get("TRACKTWO_DATA_DIR", "var")).resolve() / "master.key"


def _production() -> bool:
    return os.environ.get("TRACKTWO_ENV", "local").strip() == "production"


def key_file_exists(path: Path) -> bool:
    """Whether the key file ``path`` is there; MasterKeyError when that cannot be told (its
    folder unreadable by this account, a name too long...), naming the file and the cause."""
    try:
        path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:
        raise MasterKeyError(
            f"cannot reach the master key file {path}: {exc.strerror} (the account running "
            "tracktwo must be able to read it and write beside it)"
        ) from None
    return True


def write_master_key(path: Path, key: bytes) -> None:
    """Write ``key`` (base64) to ``path`` with mode 600, atomically."""
    tmp = path.with_name(path.name + f".tmp-{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(key).decode() + "\n")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise MasterKeyError(
            f"cannot write the master key file {path}: {exc.strerror} (the account running "
            "tracktwo must be able to write in its folder)"
        ) from None


def read_master_key(path: Path) -> bytes:
    try:
        text = path.read_text().strip()
    except OSError as exc:
        raise MasterKeyError(f"cannot read the master key file {path}: {exc.strerror}") from None
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError:
        raise MasterKeyError(f"the master key file {path} is not base64") from None
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"the master key in {path} must be {KEY_BYTES} bytes, not {len(key)}")
    return key


def create_master_key(path: Path) -> bytes:
    """Write a new master key to ``path``, which must not exist yet (a first installation,
    local or production); MasterKeyError otherwise: a second key would leave every data key
    wrapped by the first one unreadable (``tracktwo keys rotate`` replaces a key safely)."""
    if key_file_exists(path):
        raise MasterKeyError(
            f"{path} already exists: replace a master key with 'tracktwo keys rotate'"
        )
    key = secrets.token_bytes(KEY_BYTES)
    write_master_key(path, key)
    forget_master_key()
    return key


@lru_cache(maxsize=1)
def master_key() -> bytes:
    """The master key, generated on first use for local installs, required in production."""
    path = master_key_path()
    if not key_file_exists(path):
        if _production():
            raise MasterKeyError(
                f"TRACKTWO_MASTER_KEY_FILE: {path} does not exist (required in production)"
            )
        write_master_key(path, secrets.token_bytes(KEY_BYTES))
    return read_master_key(path)


def forget_master_key() -> None:
    """Drop the cached master key (after rotation, or in tests)."""
    master_key.cache_clear()


def wrap_data_key(
    data_key: bytes, initiative_id: int, key_version: int, master: bytes | None = None
) -> bytes:
    """Encrypt an initiative's data key under the master key."""
    return seal(master or master_key(), data_key, _wrap_context(initiative_id, key_version))


def unwrap_data_key(
    wrapped: bytes, initiative_id: int, key_version: int, master: bytes | None = None
) -> bytes:
    """Decrypt an initiative's data key (raises crypto.DecryptionError on a wrong master key)."""
    return open_sealed(master or master_key(), wrapped, _wrap_context(initiative_id, key_version))


def _wrap_context(initiative_id: int, key_version: int) -> bytes:
    return f"tracktwo.data-key:initiative={initiative_id}:version={key_version}".encode()


def site_key(purpose: str) -> bytes:
    """A key for site-wide secrets not tied to an initiative (e.g. TOTP seeds).

    Derived from the site secret, which the database keeps wrapped by the master key, so
    that rotating the master key (``tracktwo keys rotate``) leaves every site key unchanged.
    Needs the database (see :func:`tracktwo.safety.datakeys.site_key`).
    """
    from tracktwo.safety.datakeys import site_key as _site_key

    return _site_key(purpose)
