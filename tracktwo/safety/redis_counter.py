"""Rate-limit hits in Redis: one ``EVALSHA`` on a connection each request thread keeps.

A vote counts one hit; what it cost beyond the one round trip was redis-py's connection
pool around it and Python's socket timeouts:

- the pool checks the process id on taking and on returning a connection (two ``getpid``
  calls), and whether a connection taken from it has something left to read (a ``recv``
  that finds nothing, between two ``ioctl`` calls switching the socket to non-blocking and
  back);
- a Python socket with a timeout waits in ``poll`` before every ``send`` and every ``recv``.

That was nine system calls for one command, each letting go of the GIL, which on a server
of many threads is as many more hand-overs between them (``futex``). So each thread keeps
its own connection (:func:`connection_for`), made with the pool's own settings, and a plain
TCP connection keeps its timeouts in the kernel (``SO_RCVTIMEO``/``SO_SNDTIMEO``, the same
seconds) so the socket itself is blocking: a hit is a ``sendto`` and a ``recvfrom``.

Nothing is weakened: every error on a connection closes it (redis-py does, for any
exception between a command and its answer), so a connection is never left with an answer
unread and needs no check before use; a connection the server closed fails on use, and the
hit is sent once more on a new one (:func:`tracktwo.safety.ratelimit._redis_count`); a
Redis that does not answer within the socket timeout is a :class:`redis.TimeoutError` as
before (not retried); a forked child never uses its parent's connections. TLS and Unix
socket connections keep Python's timeouts (only the pool's checks are skipped).
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import weakref
from typing import Any

import redis


class KernelTimeoutConnection(redis.Connection):
    """A TCP connection whose socket timeout is kept by the kernel, not by ``poll``."""

    def _connect(self) -> socket.socket:
        sock: socket.socket = super()._connect()  # type: ignore[no-untyped-call]
        timeout = self.socket_timeout
        if timeout:  # None or 0: Python's own setting stays as redis-py made it
            seconds = int(timeout)
            value = struct.pack("ll", seconds, int((timeout - seconds) * 1_000_000))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)
            sock.settimeout(None)  # blocking: send and recv straight away, no poll first
        return sock


def timed_out(error: redis.exceptions.ConnectionError) -> bool:
    """True if ``error`` is a kernel-kept timeout running out (``EAGAIN`` on a blocking
    socket, which redis-py reports as a connection error)."""
    return isinstance(error.__context__, BlockingIOError)


class _Held(threading.local):
    backend: weakref.ref[Any] | None = None
    generation = -1
    connection: Any = None


_held = _Held()
_generation = 0  # bumped in a forked child: the parent's connections are not its own


def _after_fork() -> None:
    global _generation
    _generation += 1


os.register_at_fork(after_in_child=_after_fork)


def _connect_like(backend: Any) -> Any:
    """A new connection with the settings of ``backend``'s (Django's Redis client) pool."""
    pool = backend.get_client(write=True).connection_pool
    kind = pool.connection_class
    if kind is redis.Connection:
        kind = KernelTimeoutConnection
    return kind(**pool.connection_kwargs)


def connection_for(backend: Any) -> Any:
    """This thread's connection to the Redis of ``backend`` (Django's Redis cache client)."""
    held = _held
    if held.generation != _generation or held.backend is None or held.backend() is not backend:
        if held.connection is not None and held.generation == _generation:
            held.connection.disconnect()  # another cache (tests override CACHES)
        held.connection = _connect_like(backend)
        held.backend = weakref.ref(backend)
        held.generation = _generation
    return held.connection
