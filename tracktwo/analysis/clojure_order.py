"""The order in which Pol.is (Clojure) iterates a hash set or hash map of ids.

Pol.is keeps participants in Clojure hash sets and clusters in hash maps; k-means starts from
the first k distinct points *in that iteration order*, and distance ties go to the last cluster
in it, so reproducing Pol.is number for number needs the order.

A Clojure ``PersistentHashSet``/``PersistentHashMap`` is a hash array mapped trie: the root
indexes entries by the low 5 bits of the 32-bit hash, the next level by the next 5 bits, and so
on; iteration walks slots in ascending order. The order is therefore the lexicographic order of
the hash's 5-bit digits read from the least significant end; entries whose whole 32-bit hashes
collide keep their insertion order.

Hashes (Clojure's ``hash``, i.e. ``Util.hasheq``):

- a whole number (Java ``Long``): ``Murmur3.hashLong``;
- a string: ``Murmur3.hashInt(String.hashCode())``, with Java's ``hashCode`` over UTF-16
  code units. Non-numeric participant ids (e.g. Pol.is ``xid``) thus get the order Clojure
  would give them; mixed int/str id sets are ordered by these hashes together.

Maps with at most 8 entries are Clojure array maps and iterate in insertion order
(``map_order``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tracktwo.analysis.ids import Id

ARRAY_MAP_MAX = 8
_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_M5 = np.uint32(5)
_N1 = np.uint32(0xE6546B64)
_F1 = np.uint32(0x85EBCA6B)
_F2 = np.uint32(0xC2B2AE35)


def _rotl(x: NDArray[np.uint32], r: int) -> NDArray[np.uint32]:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _mix_k1(k: NDArray[np.uint32]) -> NDArray[np.uint32]:
    return _rotl(k * _C1, 15) * _C2


def _mix_h1(h: NDArray[np.uint32], k: NDArray[np.uint32]) -> NDArray[np.uint32]:
    return _rotl(h ^ k, 13) * _M5 + _N1


def _fmix(h: NDArray[np.uint32], length: int) -> NDArray[np.uint32]:
    h = h ^ np.uint32(length)
    h = h ^ (h >> np.uint32(16))
    h = h * _F1
    h = h ^ (h >> np.uint32(13))
    h = h * _F2
    return h ^ (h >> np.uint32(16))


def hash_long(values: ArrayLike) -> NDArray[np.uint32]:
    """Clojure's hash of whole numbers (``Murmur3.hashLong``), as unsigned 32-bit ints.

    Parameters
    ----------
    values : array_like of int, shape (n,)
        Signed 64-bit values.

    Returns
    -------
    ndarray of uint32, shape (n,)
    """
    x = np.asarray(values, dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        low = (x & np.uint64(0xFFFFFFFF)).astype(np.uint32)
        high = (x >> np.uint64(32)).astype(np.uint32)
        h = _mix_h1(np.zeros_like(low), _mix_k1(low))
        h = _mix_h1(h, _mix_k1(high))
        h = _fmix(h, 8)
    return np.where(x == 0, np.uint32(0), h).astype(np.uint32)


def hash_int(values: ArrayLike) -> NDArray[np.uint32]:
    """``Murmur3.hashInt`` of 32-bit ints (given signed or unsigned), shape (n,)."""
    x = np.asarray(values, dtype=np.int64).astype(np.uint64).astype(np.uint32)
    with np.errstate(over="ignore"):
        h = _fmix(_mix_h1(np.zeros_like(x), _mix_k1(x)), 4)
    return np.where(x == 0, np.uint32(0), h).astype(np.uint32)


def java_string_hash(texts: Sequence[str]) -> NDArray[np.uint32]:
    """Java's ``String.hashCode`` (over UTF-16 code units, 32-bit wrap), shape (n,)."""
    n = len(texts)
    if n == 0:
        return np.zeros(0, np.uint32)
    units = [np.frombuffer(t.encode("utf-16-le"), dtype="<u2") for t in texts]
    lengths = np.fromiter((u.shape[0] for u in units), np.int64, count=n)
    width = int(lengths.max()) if n else 0
    table = np.zeros((n, max(width, 1)), np.uint32)
    for row, u in enumerate(units):
        table[row, : u.shape[0]] = u
    h = np.zeros(n, np.uint32)
    with np.errstate(over="ignore"):
        for col in range(width):
            live = lengths > col
            h = np.where(live, h * np.uint32(31) + table[:, col], h)
    return h


def clojure_hash(ids: Sequence[Id]) -> NDArray[np.uint32]:
    """Clojure's ``hash`` of each id (``int`` -> hashLong, ``str`` -> hashInt(hashCode))."""
    n = len(ids)
    out = np.zeros(n, np.uint32)
    is_int = np.fromiter((isinstance(i, (int, np.integer)) for i in ids), np.bool_, count=n)
    if is_int.any():
        numbers = np.fromiter((int(i) for i, ok in zip(ids, is_int, strict=True) if ok), np.int64)
        out[is_int] = hash_long(numbers)
    if (~is_int).any():
        texts = [str(i) for i, ok in zip(ids, is_int, strict=True) if not ok]
        out[~is_int] = hash_int(java_string_hash(texts).astype(np.int64))
    return out


def trie_key(hashes: ArrayLike) -> NDArray[np.int64]:
    """A sort key giving HAMT iteration order: the 5-bit digits of the hash, lowest first."""
    h = np.asarray(hashes, dtype=np.uint32).astype(np.int64)
    key = np.zeros_like(h)
    for level in range(7):
        digit = (h >> (5 * level)) & 31
        bits = 5 if level < 6 else 2
        key = (key << bits) | (digit & ((1 << bits) - 1))
    return key


def hash_set_order(ids: Sequence[Id] | NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of ``ids`` in the order a Clojure hash set of them iterates, shape (n,).

    ``ids`` are given in insertion order (which only matters for full-hash collisions).
    """
    hashes = hash_long(ids) if isinstance(ids, np.ndarray) else clojure_hash(ids)
    return np.argsort(trie_key(hashes), kind="stable").astype(np.int64)


def map_order(ids: Sequence[Id] | NDArray[np.int64]) -> NDArray[np.int64]:
    """Iteration order of a Clojure map built by inserting ``ids`` in order.

    Up to 8 entries it is an array map (insertion order); beyond, a hash map.
    """
    n = len(ids)
    if n <= ARRAY_MAP_MAX:
        return np.arange(n, dtype=np.int64)
    return hash_set_order(ids)


def id_order(ids: Sequence[Id]) -> NDArray[np.int64]:
    """``hash_set_order`` of participant ids, vectorised when they are all whole numbers."""
    if all(isinstance(i, int) for i in ids):
        return hash_set_order(np.array(ids, dtype=np.int64))
    return hash_set_order(ids)
