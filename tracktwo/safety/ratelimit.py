"""Rate limits: fixed-window counters in Django's cache, per client IP or per caller.

Rates are ``COUNT/PERIOD`` strings (``10/5m``, ``600/m``, ``20/h``, ``5/30s``) in
``settings.TRACKTWO_RATELIMITS`` keyed by scope (``sign-in``, ``join``, ``vote``).
A client IP is never stored or logged: it is keyed with HMAC-SHA256 under a key
derived from the master key (IPv6 addresses by their /64, which one device can
rotate through), and only that digest names a cache counter.

Use :func:`ratelimit` on a Django view or a ninja route (below the route
decorator), or call :func:`check` directly. Both raise :class:`RateLimited`,
which the API turns into 429 JSON ``{"detail": ...}`` and
:class:`tracktwo.safety.middleware.SafetyMiddleware` into a 429 page, each with
``Retry-After``. With the default local-memory cache the counters are per
process; set ``CACHE_URL`` to Redis so that all workers share them.

In Redis a hit is one command (:data:`COUNT_SCRIPT`: ``INCR``, and ``EXPIRE`` on the
window's first hit, atomically), on the same key and value Django's cache would use.
Django's own ``incr`` takes two round trips (``EXISTS``, then ``INCR``) and builds a new
client for each call; on the vote route that doubled the server's syscalls per vote.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest

from tracktwo.safety import redis_counter

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

F = TypeVar("F", bound=Callable[..., Any])
KeyFunction = Callable[[HttpRequest], str]


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


class RateLimited(Exception):
    """Too many requests in the current window; ``retry_after`` seconds until the next."""

    http_status = 429

    def __init__(self, scope: str, retry_after: int) -> None:
        self.scope = scope
        self.retry_after = max(1, retry_after)
        super().__init__(f"Too many requests: try again in {self.retry_after} seconds.")


@lru_cache(maxsize=64)
def parse_rate(text: str) -> Rate:
    """``"10/5m"`` -> ``Rate(10, 300)``; :class:`ValueError` naming the problem otherwise."""
    match = _RATE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a rate: use COUNT/PERIOD such as 10/5m, 600/m or 20/h")
    count, multiple, unit = int(match[1]), int(match[2] or 1), match[3]
    if count < 1 or multiple < 1:
        raise ValueError(f"{text!r}: the count and the period must be at least 1")
    return Rate(count, multiple * _UNIT_SECONDS[unit])


def rate_for(scope: str) -> Rate:
    rates: dict[str, str] = settings.TRACKTWO_RATELIMITS
    if scope not in rates:
        raise KeyError(f"no rate configured for scope {scope!r} in TRACKTWO_RATELIMITS")
    return parse_rate(rates[scope])


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For behind ``TRACKTWO_PROXY_COUNT``."""
    hops: int = settings.TRACKTWO_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return str(forwarded[-hops])
    return str(request.META.get("REMOTE_ADDR", ""))


def ip_digest(ip: str) -> str:
    """A keyed digest of an address (IPv6 by /64): the only form an IP takes in tracktwo."""
    from tracktwo.safety.keys import site_key

    try:
        address = ipaddress.ip_address(ip)
        if address.version == 6:
            ip = str(ipaddress.ip_network(f"{address}/64", strict=False))
    except ValueError:
        ip = f"unparsable:{ip}"
    return hmac.new(site_key("safety.ratelimit"), ip.encode(), hashlib.sha256).hexdigest()[:32]


def by_ip(request: HttpRequest) -> str:
    return "ip:" + ip_digest(client_ip(request))


def by_caller(request: HttpRequest) -> str:
    """The authenticated API caller (``request.auth``, a :class:`Caller`): participant or user."""
    caller = getattr(request, "auth", None)
    if caller is None:
        raise RuntimeError("rate limit by caller needs an authenticated route")
    if caller.kind == "participant":
        return f"participant:{caller.participant.pk}"
    return f"user:{caller.user.pk}"


_KEYS: dict[str, KeyFunction] = {"ip": by_ip, "caller": by_caller}


def clock() -> float:
    """The limiter's clock (seconds since the epoch); tests hold it still."""
    return time.time()


def hit(scope: str, identity: str, rate: Rate | None = None, now: float | None = None) -> int:
    """Count one request of ``identity`` in ``scope``; raise :class:`RateLimited` over the rate.

    Returns the count so far in the current window.
    """
    rate = rate or rate_for(scope)
    moment = clock() if now is None else now
    window = int(moment // rate.seconds)
    key = f"rl:{scope}:{identity}:{window}"
    cache = caches[settings.TRACKTWO_RATELIMIT_CACHE]
    timeout = rate.seconds + 1
    count = _count(cache, key, timeout)
    if count > rate.count:
        raise RateLimited(scope, math.ceil((window + 1) * rate.seconds - moment))
    return int(count)


# Count one hit and start the window's expiry on its first: one atomic command.
COUNT_SCRIPT = (
    "local n = redis.call('INCR', KEYS[1]) "
    "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end "
    "return n"
)
COUNT_SHA = hashlib.sha1(COUNT_SCRIPT.encode()).hexdigest().encode()  # noqa: S324 - Redis's name


def _count(cache: BaseCache, key: str, timeout: int) -> int:
    """Add one to ``key``'s counter (created with ``timeout``); the count so far."""
    if isinstance(cache, RedisCache):
        return _redis_count(cast(Any, cache)._cache, cache.make_and_validate_key(key), timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # first hit in this window (or the key just expired)
        if cache.add(key, 1, timeout):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout)
                count = 1
    return int(count)


def _redis_count(backend: Any, key: str, timeout: int) -> int:
    """:data:`COUNT_SCRIPT` on ``key``: ``EVALSHA`` on this thread's connection.

    redis-py's client command path (retry wrapper, metrics hooks, the script object) cost
    more CPU than the round trip itself, and its connection pool as many system calls again
    (:mod:`tracktwo.safety.redis_counter`), so the command goes, packed by redis-py, to a
    connection the thread keeps. A connection lost on the way is replaced and the hit sent
    once more, as redis-py's retry did; a Redis that does not answer in time is an error at
    once; a script Redis no longer has (restarted, flushed) is sent whole with ``EVAL``,
    which caches it again.
    """
    name, seconds = key.encode(), b"%d" % timeout
    for attempt in (1, 2):
        connection = redis_counter.connection_for(backend)
        try:
            try:
                connection.send_command("EVALSHA", COUNT_SHA, 1, name, seconds, check_health=False)
                return int(connection.read_response())
            except redis.exceptions.NoScriptError:
                connection.send_command("EVAL", COUNT_SCRIPT, 1, name, seconds, check_health=False)
                return int(connection.read_response())
        except redis.exceptions.ConnectionError as error:
            connection.disconnect()  # redis-py has closed it already; the next use reconnects
            if redis_counter.timed_out(error):
                raise redis.exceptions.TimeoutError("Timeout talking to Redis") from error
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def check(request: HttpRequest, scope: str, key: str | KeyFunction = "ip") -> None:
    """Count this request against ``scope``'s rate; raises :class:`RateLimited`."""
    key_function = _KEYS[key] if isinstance(key, str) else key
    hit(scope, key_function(request))


def ratelimit(
    scope: str, key: str | KeyFunction = "ip", methods: Iterable[str] | None = None
) -> Callable[[F], F]:
    """Decorate a view or ninja route (``methods``: count only these, e.g. ``("POST",)``)."""
    if isinstance(key, str) and key not in _KEYS:
        raise ValueError(f"rate limit key must be one of {sorted(_KEYS)} or a function")
    counted = {method.upper() for method in methods} if methods else None

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if counted is None or request.method in counted:
                check(request, scope, key)
            return view(request, *args, **kwargs)

        return cast(F, wrapper)

    return decorator
