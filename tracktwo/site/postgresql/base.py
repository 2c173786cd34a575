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

:meth:`DatabaseWrapper.prepared_cursor` is a cursor whose statements are prepared on the
connection the first time they run and then only bound and executed, so that PostgreSQL
parses and plans them once per connection instead of on every call. The vote's
``INSERT ... SELECT`` (:func:`tracktwo.dialogues.api.voting.fast_vote`) uses it: planning its
joins was a third of PostgreSQL's CPU per vote. Every other statement keeps Django's
client-side binding (``server_side_binding`` stays off). A prepared statement lives in its
PostgreSQL session: a pooler between tracktwo and PostgreSQL must keep a server connection per
client connection (PgBouncer in session mode, or 1.21+ with ``max_prepared_statements``).
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
from django.db.backends.postgresql.operations import DatabaseOperations as PostgreSQLOperations

# Preparation asked for (prepare=True), never because a query ran so many times.
_NEVER_BY_COUNT = 2**62
_ANYTHING = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP | select.POLLNVAL


class PreparedCursor(psycopg.Cursor[tuple[object, ...]]):
    """A psycopg cursor with server-side binding that prepares every statement it runs.

    Django turns psycopg's prepared statements off for the connection
    (``prepare_threshold=None``); this cursor turns them on for its own statement only, so
    no other query of the connection is ever prepared or counted towards it.
    """

    def execute(  # the same call, always prepared
        self,
        query: Any,
        params: Any = None,
        *,
        prepare: bool | None = None,
        binary: bool | None = None,
    ) -> PreparedCursor:
        connection = self.connection
        connection.prepare_threshold = _NEVER_BY_COUNT
        try:
            super().execute(query, params, prepare=True, binary=binary)
        finally:
            connection.prepare_threshold = None
        return self


class DatabaseOperations(PostgreSQLOperations):
    """Django's, with the statement of a :class:`PreparedCursor` logged as it would be sent
    with client-side binding (psycopg keeps no query text for a prepared execution)."""

    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:
        if isinstance(cursor, PreparedCursor):
            try:
                return str(self.compose_sql(sql, params))
            except psycopg.errors.DataError:
                pass  # as Django: no text for values it cannot write
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(PostgreSQLWrapper):
    """PostgreSQL, with :meth:`is_usable` looking at the socket first."""

    ops_class = DatabaseOperations

    def prepared_cursor(self) -> Any:
        """A cursor as :meth:`cursor` gives (health check, Django's error wrapping and query
        logging) whose statements are prepared once per connection (:class:`PreparedCursor`)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparedCursor(self.connection))  # type: ignore[attr-defined]

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
