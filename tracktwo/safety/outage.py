"""An outage of what the site stands on -- the database or Redis -- is a 503, not a 500.

While PostgreSQL or Redis restarts, a request that needs it fails with a connection error.
The caller should hear "briefly unavailable, try again" (``503`` with ``Retry-After``),
and the process should not need a restart afterwards: Django opens a new database
connection for the next request after a broken one, and the Redis clients reconnect on
their next command. The API (:mod:`tracktwo.site.api`) answers JSON ``{"detail": ...}``,
pages (:class:`tracktwo.safety.middleware.SafetyMiddleware`) a short page.
"""

from __future__ import annotations

import redis
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _

OUTAGES: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
RETRY_AFTER = 5  # seconds
MESSAGE = _("The service is briefly unavailable. Please try again in a few seconds.")


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the database or Redis cannot be reached right now."""
    return isinstance(exc, OUTAGES)
