"""Per-initiative data keys and the master key around them: boxes, rotation, destruction.

- Each initiative has one data key (:class:`~tracktwo.safety.models.InitiativeKey`),
  wrapped by the master key and tagged with the master key's fingerprint.
- :func:`box_for` gives a :class:`~tracktwo.safety.sealed.Box` to open values (one small
  indexed query; unwrapped keys are cached in-process by their wrapped bytes, so a
  rotation or wipe by another process is noticed at the next request).
- :func:`box_for_sealing` does the same inside a transaction and takes a share lock on the
  key row (PostgreSQL ``FOR SHARE``; SQLite write transactions are serialised anyway), so
  a concurrent :func:`rotate_initiative_key` cannot miss a value sealed under the old key.
- :func:`rotate_master_key` re-wraps every data key and the site secret in one
  transaction; :func:`rotate_initiative_key` re-encrypts one initiative's rows under a new
  data key; :func:`destroy_data_key` deletes one (used by the wipe).

Master key rotation writes ``<key>.next``, re-wraps under it, moves the old file to
``<key>.prev`` and the new one into place before committing; after the commit the old
key is shredded (or kept as ``<key>.old-<UTC time>`` with ``keep_old``). If the process
dies in between, :func:`master_for` still finds every key by fingerprint and the next
rotation first finishes the interrupted one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from tracktwo.safety import keys
from tracktwo.safety.crypto import (
    KEY_BYTES,
    DecryptionError,
    derive_key,
    new_key,
    open_sealed,
    seal,
)
from tracktwo.safety.models import InitiativeKey, SiteSecret
from tracktwo.safety.sealed import REKEY_HOOKS, SEALED_ATTRIBUTES, Box


class DataKeyUnavailable(Exception):
    """An initiative's data key cannot be used: wiped, or wrapped by a master key we lack."""


_CACHE_SIZE = 256
_cache: OrderedDict[tuple[int, int, bytes], bytes] = OrderedDict()
_cache_lock = threading.Lock()


def fingerprint(master: bytes) -> str:
    """A short public name of a master key (16 hex digits); reveals nothing of the key."""
    return hmac.new(master, b"tracktwo.master-key.fingerprint", hashlib.sha256).hexdigest()[:16]


def _side_files(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + ".next"), path.with_name(path.name + ".prev")


def _fresh_master() -> bytes:
    """The master key as the key file holds it now (not the cached copy)."""
    keys.forget_master_key()
    return keys.master_key()


def master_for(master_fingerprint: str) -> bytes:
    """The master key with this fingerprint: the current file, or a rotation's side file."""
    current = keys.master_key()
    if fingerprint(current) == master_fingerprint:
        return current
    current = _fresh_master()
    if fingerprint(current) == master_fingerprint:
        return current
    path = keys.master_key_path()
    for side in _side_files(path):
        if side.exists():
            candidate = keys.read_master_key(side)
            if fingerprint(candidate) == master_fingerprint:
                return candidate
    raise DataKeyUnavailable(
        f"a data key is wrapped by master key {master_fingerprint}, but {path} holds "
        f"{fingerprint(current)}: restore the matching master key file"
    )


def _in_transaction() -> bool:
    """Inside ``transaction.atomic`` of our own (a test case's wrapping block does not count)."""
    blocks = getattr(connection, "atomic_blocks", [])
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def _lock_for_wrapping() -> None:
    """Keep a master-key rotation from committing while we wrap under the master we read."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {InitiativeKey._meta.db_table} IN ROW EXCLUSIVE MODE")


def _unwrap_cached(initiative_id: int, version: int, wrapped: bytes, master_fp: str) -> bytes:
    cache_key = (initiative_id, version, wrapped)
    with _cache_lock:
        key = _cache.get(cache_key)
        if key is not None:
            _cache.move_to_end(cache_key)
            return key
    key = keys.unwrap_data_key(wrapped, initiative_id, version, master_for(master_fp))
    _remember(cache_key, key)
    return key


def _remember(cache_key: tuple[int, int, bytes], key: bytes) -> None:
    with _cache_lock:
        _cache[cache_key] = key
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def forget_data_keys(initiative_id: int | None = None) -> None:
    """Drop cached data keys (of one initiative, or all)."""
    with _cache_lock:
        for cache_key in [k for k in _cache if initiative_id in (None, k[0])]:
            del _cache[cache_key]


def box_for(initiative_id: int) -> Box:
    """A box to open the values of an initiative (raises DataKeyUnavailable if it has no key)."""
    row = (
        InitiativeKey.objects.filter(initiative_id=initiative_id)
        .values_list("version", "wrapped", "master_fingerprint")
        .first()
    )
    if row is None:
        raise DataKeyUnavailable(f"initiative {initiative_id} has no data key (wiped?)")
    version, wrapped, master_fp = row
    key = _unwrap_cached(initiative_id, version, bytes(wrapped), master_fp)
    return Box(initiative_id, version, key, can_seal=False)


def box_for_sealing(initiative_id: int) -> Box:
    """A box that may also seal; call inside ``transaction.atomic`` (it locks the key row)."""
    if not _in_transaction():
        raise RuntimeError("box_for_sealing() must be called inside transaction.atomic")
    table = InitiativeKey._meta.db_table
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, wrapped, master_fingerprint FROM {table} "  # noqa: S608 - our table
            f"WHERE initiative_id = %s{lock}",
            [initiative_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise DataKeyUnavailable(f"initiative {initiative_id} has no data key (wiped?)")
    version, wrapped, master_fp = row
    key = _unwrap_cached(initiative_id, version, bytes(wrapped), master_fp)
    return Box(initiative_id, version, key, can_seal=True)


def create_data_key(initiative_id: int) -> Box:
    """Make and store the data key of a new initiative; returns a sealing box."""
    if not _in_transaction():
        raise RuntimeError("create_data_key() must be called inside transaction.atomic")
    _lock_for_wrapping()
    master = _fresh_master()
    key = new_key()
    wrapped = keys.wrap_data_key(key, initiative_id, 1, master)
    InitiativeKey.objects.create(
        initiative_id=initiative_id,
        version=1,
        wrapped=wrapped,
        master_fingerprint=fingerprint(master),
    )
    _remember((initiative_id, 1, wrapped), key)
    return Box(initiative_id, 1, key, can_seal=True)


@dataclass(frozen=True)
class InitiativeRotation:
    initiative_id: int
    version: int
    values_resealed: int


def rotate_initiative_key(initiative_id: int) -> InitiativeRotation:
    """Re-encrypt every sealed value of the initiative under a fresh data key, atomically."""
    with transaction.atomic():
        _lock_for_wrapping()
        row = InitiativeKey.objects.select_for_update().filter(initiative_id=initiative_id).first()
        if row is None:
            raise DataKeyUnavailable(f"initiative {initiative_id} has no data key (wiped?)")
        old_key = _unwrap_cached(
            initiative_id, row.version, bytes(row.wrapped), row.master_fingerprint
        )
        old = Box(initiative_id, row.version, old_key, can_seal=False)
        fresh = new_key()
        new = Box(initiative_id, row.version + 1, fresh, can_seal=True)
        count = sum(spec.reseal(initiative_id, old, new) for spec in SEALED_ATTRIBUTES)
        for hook in REKEY_HOOKS:
            hook(initiative_id, old, new)
        master = _fresh_master()
        row.version = new.version
        row.wrapped = keys.wrap_data_key(fresh, initiative_id, new.version, master)
        row.master_fingerprint = fingerprint(master)
        row.rotated_at = timezone.now()
        row.save(update_fields=["version", "wrapped", "master_fingerprint", "rotated_at"])
        transaction.on_commit(lambda: forget_data_keys(initiative_id))
    forget_data_keys(initiative_id)
    return InitiativeRotation(initiative_id, new.version, count)


def destroy_data_key(initiative_id: int) -> bool:
    """Delete an initiative's data key and forget it here; True if there was one."""
    deleted, _ = InitiativeKey.objects.filter(initiative_id=initiative_id).delete()
    forget_data_keys(initiative_id)
    transaction.on_commit(lambda: forget_data_keys(initiative_id))
    return deleted > 0


# -- the site secret ---------------------------------------------------------------------

SITE = "site"
_site_cache: dict[bytes, bytes] = {}


def _site_context(name: str, version: int) -> bytes:
    return f"tracktwo.site-secret:name={name}:version={version}".encode()


def site_key(purpose: str) -> bytes:
    """A key for one site-wide purpose (e.g. ``"accounts.totp"``), stable across master rotations."""
    row = SiteSecret.objects.filter(name=SITE).values_list(
        "version", "wrapped", "master_fingerprint"
    )
    found = row.first()
    if found is None:
        found = _create_site_secret()
    version, wrapped, master_fp = found
    wrapped = bytes(wrapped)
    secret = _site_cache.get(wrapped)
    if secret is None:
        secret = open_sealed(master_for(master_fp), wrapped, _site_context(SITE, version))
        _site_cache[wrapped] = secret
    return derive_key(secret, f"tracktwo.site:{purpose}")


def _create_site_secret() -> tuple[int, bytes, str]:
    with transaction.atomic():
        _lock_for_wrapping()
        existing = SiteSecret.objects.filter(name=SITE).first()
        if existing is None:
            master = _fresh_master()
            existing = SiteSecret.objects.create(
                name=SITE,
                version=1,
                wrapped=seal(master, secrets.token_bytes(KEY_BYTES), _site_context(SITE, 1)),
                master_fingerprint=fingerprint(master),
            )
    return existing.version, bytes(existing.wrapped), existing.master_fingerprint


# -- master key rotation -----------------------------------------------------------------


@dataclass(frozen=True)
class MasterRotation:
    path: Path
    fingerprint: str
    data_keys_rewrapped: int
    kept_old_key_at: Path | None


def _rewrap_all(new_master: bytes) -> int:
    """Re-wrap every data key and site secret under ``new_master`` (inside a transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {InitiativeKey._meta.db_table}, {SiteSecret._meta.db_table} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
    new_fp = fingerprint(new_master)
    rows = list(InitiativeKey.objects.exclude(master_fingerprint=new_fp))
    for row in rows:
        old_master = master_for(row.master_fingerprint)
        data_key = keys.unwrap_data_key(
            bytes(row.wrapped), row.initiative_id, row.version, old_master
        )
        row.wrapped = keys.wrap_data_key(data_key, row.initiative_id, row.version, new_master)
        row.master_fingerprint = new_fp
    InitiativeKey.objects.bulk_update(rows, ["wrapped", "master_fingerprint"], batch_size=500)
    for site in SiteSecret.objects.exclude(master_fingerprint=new_fp):
        context = _site_context(site.name, site.version)
        secret = open_sealed(master_for(site.master_fingerprint), bytes(site.wrapped), context)
        site.wrapped = seal(new_master, secret, context)
        site.master_fingerprint = new_fp
        site.save(update_fields=["wrapped", "master_fingerprint"])
    return len(rows)


def _shred(path: Path) -> None:
    """Overwrite a key file with random bytes, then remove it (see docs/security.md on SSDs)."""
    try:
        size = max(path.stat().st_size, 64)
        with path.open("r+b") as handle:
            handle.write(secrets.token_bytes(size))
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)


def _finish_interrupted_rotation() -> None:
    """Bring every key under the current master file and remove leftover side files."""
    path = keys.master_key_path()
    side_files = [side for side in _side_files(path) if keys.key_file_exists(side)]
    if not side_files:
        return
    current = _fresh_master()
    with transaction.atomic(durable=True):
        _rewrap_all(current)
    for side in side_files:
        _shred(side)


def rotate_master_key(*, keep_old: bool = False) -> MasterRotation:
    """Write a new master key and re-wrap every data key under it in one transaction.

    The old key file is shredded unless ``keep_old``, which keeps it as a timestamped
    backup next to the new one. Must not run inside another transaction (``durable``).
    """
    path = keys.master_key_path()
    _finish_interrupted_rotation()
    old_master = _fresh_master()
    new_master = secrets.token_bytes(KEY_BYTES)
    next_path, prev_path = _side_files(path)
    keys.write_master_key(next_path, new_master)
    swapped = False
    try:
        with transaction.atomic(durable=True):
            count = _rewrap_all(new_master)
            keys.write_master_key(prev_path, old_master)
            os.replace(next_path, path)
            swapped = True
    except BaseException:
        if swapped:
            os.replace(prev_path, path)
        else:
            _shred(next_path)
            _shred(prev_path)
        keys.forget_master_key()
        raise
    kept: Path | None = None
    if keep_old:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.old-{stamp}")
        os.replace(prev_path, kept)
    else:
        _shred(prev_path)
    keys.forget_master_key()
    _site_cache.clear()
    forget_data_keys()
    return MasterRotation(path, fingerprint(new_master), count, kept)


def check_data_key(initiative_id: int) -> int:
    """Open the initiative's data key end to end; returns its version (raises if it cannot)."""
    try:
        return box_for(initiative_id).version
    except DecryptionError as exc:
        raise DataKeyUnavailable(f"initiative {initiative_id}: {exc}") from None
