"""Rate limits: per client IP on sign-in (keyed, never in clear), 429 with Retry-After."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory, override_settings
from factories import Account

from tracktwo.safety import ratelimit
from tracktwo.safety.ratelimit import Rate, RateLimited
from tracktwo.site.api import _domain_error

pytestmark = pytest.mark.django_db

THREE_PER_MINUTE = {"sign-in": "3/m", "join": "30/h", "vote": "600/m"}


def _attempt(client: Client, **extra: str) -> int:
    data = {"username": "facilitator1", "password": "wrong password 1234"}
    return client.post("/accounts/sign-in", data, **extra).status_code  # type: ignore[arg-type]


@override_settings(TRACKTWO_RATELIMITS=THREE_PER_MINUTE)
def test_it_answers_429_after_n_sign_in_attempts(client: Client, account: Account) -> None:
    assert [_attempt(client) for _ in range(3)] == [200, 200, 200]
    response = client.post(
        "/accounts/sign-in", {"username": "facilitator1", "password": account.password}
    )
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many attempts" in response.content.decode()
    # Even the right password does not get through while limited.
    assert "_auth_user_id" not in client.session
    # Looking at the form is not an attempt.
    assert client.get("/accounts/sign-in").status_code == 200


@override_settings(TRACKTWO_RATELIMITS=THREE_PER_MINUTE)
def test_it_counts_each_client_address_apart(client: Client, account: Account) -> None:
    for _ in range(3):
        _attempt(client, REMOTE_ADDR="203.0.113.7")
    assert _attempt(client, REMOTE_ADDR="203.0.113.7") == 429
    assert _attempt(client, REMOTE_ADDR="203.0.113.8") == 200


@override_settings(TRACKTWO_RATELIMITS=THREE_PER_MINUTE, TRACKTWO_PROXY_COUNT=1)
def test_it_reads_the_client_behind_one_proxy(client: Client, account: Account) -> None:
    for _ in range(3):
        _attempt(client, HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.9")
    assert _attempt(client, HTTP_X_FORWARDED_FOR="198.51.100.1, 198.51.100.9") == 429
    assert _attempt(client, HTTP_X_FORWARDED_FOR="198.51.100.9, 198.51.100.2") == 200


@override_settings(TRACKTWO_RATELIMITS=THREE_PER_MINUTE)
def test_it_limits_the_totp_step_too(client: Client, account: Account) -> None:
    for _ in range(3):
        client.post("/accounts/sign-in/totp", {"code": "123456"})
    assert client.post("/accounts/sign-in/totp", {"code": "123456"}).status_code == 429


@override_settings(TRACKTWO_RATELIMITS=THREE_PER_MINUTE)
def test_it_keeps_no_address_in_clear(client: Client, account: Account) -> None:
    for _ in range(2):
        _attempt(client, REMOTE_ADDR="192.0.2.44")
    cache = caches["default"]
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert keys, "the attempts were counted"
    assert not any("192.0.2.44" in key for key in keys)
    assert ratelimit.ip_digest("192.0.2.44") in " ".join(keys)


def test_it_groups_ipv6_addresses_by_their_64_prefix() -> None:
    assert ratelimit.ip_digest("2001:db8:1:2::a") == ratelimit.ip_digest("2001:db8:1:2:ffff::1")
    assert ratelimit.ip_digest("2001:db8:1:2::a") != ratelimit.ip_digest("2001:db8:1:3::a")


def test_it_counts_in_fixed_windows() -> None:
    rate = Rate(2, 60)
    scope = f"test-{uuid.uuid4().hex}"
    assert ratelimit.hit(scope, "k", rate, now=600.0) == 1
    assert ratelimit.hit(scope, "k", rate, now=610.0) == 2
    with pytest.raises(RateLimited) as refused:
        ratelimit.hit(scope, "k", rate, now=630.5)
    assert refused.value.retry_after == 30
    assert ratelimit.hit(scope, "k", rate, now=660.0) == 1  # the next window


def test_it_answers_429_json_with_retry_after_in_the_api() -> None:
    request = RequestFactory().post("/api/v1/dialogues/1/votes")
    response = _domain_error(request, RateLimited("vote", 12))
    assert response.status_code == 429
    assert response["Retry-After"] == "12"
    assert "try again in 12 seconds" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/5m", Rate(10, 300)),
        ("600/m", Rate(600, 60)),
        ("20/h", Rate(20, 3600)),
        ("5 / 30s", Rate(5, 30)),
        ("1/d", Rate(1, 86400)),
    ],
)
def test_it_parses_rates(text: str, rate: Rate) -> None:
    assert ratelimit.parse_rate(text) == rate


@pytest.mark.parametrize("text", ["10", "ten/m", "10/5y", "0/m", "10/0m", ""])
def test_it_refuses_bad_rates(text: str) -> None:
    with pytest.raises(ValueError, match=r"COUNT/PERIOD|at least 1"):
        ratelimit.parse_rate(text)


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_it_counts_in_redis_shared_by_all_workers(
    require_system: Callable[[bool, str], None],
) -> None:
    require_system(_redis_up(), "Redis is not listening on 127.0.0.1:6379 (apt-get install redis)")
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
            "KEY_PREFIX": f"tracktwo-test-{uuid.uuid4().hex}",
        }
    }
    with override_settings(CACHES=redis_cache):
        caches["default"].close()
        rate = Rate(3, 60)
        scope = "redis-check"
        counts = [ratelimit.hit(scope, "client", rate, now=1200.0) for _ in range(3)]
        assert counts == [1, 2, 3]
        with pytest.raises(RateLimited):
            ratelimit.hit(scope, "client", rate, now=1201.0)
        # Another "worker" (a fresh connection) sees the same counter.
        from django.core.cache import caches as fresh

        fresh["default"].close()
        with pytest.raises(RateLimited):
            ratelimit.hit(scope, "client", rate, now=1202.0)
        assert ratelimit.hit(scope, "other", rate, now=1202.0) == 1
        caches["default"].close()
