"""Django's PostgreSQL backend, with a connection health check that needs no query.

``CONN_HEALTH_CHECKS`` (on for PostgreSQL, :mod:`tracktwo.site.env`) makes Django check a
persistent connection before the first query of every request, so that a restarted
database costs no request a 500. Django checks with ``SELECT 1``: one more round trip per
request, which on the vote route was half of the database round trips, ~5 syscalls and
~0.05 ms of CPU on each side (docs/load.md).

:meth:`DatabaseWrapper.is_usable` looks at the connection's socket instead (one ``poll``
that does not wait). An idle connection's socket has nothing to read: the server sends
nothing unasked except when it goes away (a restart or a terminated backend sends an error
and closes the socket) or, rarely, a notice or a parameter change. So an idle, quiet socket
is a usable connection, and anything else -- a socket with something to read, closed, or in
error, or a connection psycopg already knows to be broken -- is checked the way Django
does, with ``SELECT 1``; a failed check makes Django reconnect, as before.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper

_ANYTHING = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP | select.POLLNVAL


class DatabaseWrapper(PostgreSQLWrapper):
    """PostgreSQL, with :meth:`is_usable` looking at the socket first."""

    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            socket = connection.pgconn.socket
            watch = select.poll()
            watch.register(socket, _ANYTHING)
            quiet = not watch.poll(0)
        except (OSError, ValueError, psycopg.Error):  # any doubt: ask the server
            quiet = False
        if quiet and connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            return True
        return bool(super().is_usable())
