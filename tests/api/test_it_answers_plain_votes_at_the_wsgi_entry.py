"""A plain participant's vote is answered at the WSGI entry (``tracktwo.site.vote_entry``),
before Django's handler, with the API lane's status line, headers and body byte for byte;
every other call goes to the lane, which answers it as before."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from api_support import Scene
from django.core.handlers.wsgi import WSGIHandler
from wsgi_support import Answer, Served

from tracktwo.dialogues.models import Statement, Vote
from tracktwo.practice.formats import Moderation
from tracktwo.site.api_lane import ApiLaneHandler, Lanes
from tracktwo.site.vote_entry import MAX_BODY, VoteEntry

pytestmark = pytest.mark.django_db


def _recording(app: Callable[..., Any], seen: list[str]) -> Callable[..., Any]:
    def wrapper(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        seen.append("lane")
        return app(environ, start_response)

    return wrapper


def apps() -> tuple[Served, Served]:
    """The application with the vote entry (recording each hand-over to the lane), and the
    API lane alone (what answered every vote before the entry)."""
    seen: list[str] = []
    lane = ApiLaneHandler()
    entry = Served(Lanes(WSGIHandler(), lane, VoteEntry(_recording(lane, seen))), seen)
    return entry, Served(Lanes(WSGIHandler(), ApiLaneHandler()), [])


def raw(answer: Answer) -> tuple[str, list[tuple[str, str]], bytes]:
    return answer.status_line, answer.header_list, answer.content


def test_it_answers_plain_votes_with_the_lanes_bytes(scene: Scene) -> None:
    sids = [scene.seed(f"Statement {i}.") for i in range(12)]  # ids of one and two digits
    token = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    entry, lane = apps()
    languages = ["", "fr", "ar;q=0.9, en;q=0.5", "xx-YY", "de-CH,de;q=0.8"]
    for n, (sid, accept) in enumerate(zip([sids[0], sids[-1], *sids[1:4]], languages, strict=True)):
        extra = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
        for choice in ("agree", "disagree", "pass"):
            body = {"statement": sid, "vote": choice}
            ours = entry.call("POST", path, token=token, body=body, **extra)
            theirs = lane.call("POST", path, token=token, body=body, **extra)
            assert ours.status == 201, ours.body
            assert raw(ours) == raw(theirs), (sid, accept, choice)
        assert entry.lanes == [], n  # answered by the entry itself
    assert Vote.objects.count() == 2 * 3 * 5
    assert {h for h, _ in raw(ours)[1]} >= {"Content-Security-Policy", "X-Frame-Options",
                                            "Cache-Control", "Content-Language"}  # fmt: skip


def test_it_answers_https_votes_with_the_same_strict_transport_header(
    scene: Scene, settings: Any
) -> None:
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    sid = scene.seed("Over TLS.")
    token = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    body = {"statement": sid, "vote": "agree"}
    entry, lane = apps()
    for proto in ("https", "http", "https"):
        ours = entry.call("POST", path, token=token, body=body, HTTP_X_FORWARDED_PROTO=proto)
        theirs = lane.call("POST", path, token=token, body=body, HTTP_X_FORWARDED_PROTO=proto)
        assert (ours.status, entry.lanes) == (201, [])
        assert raw(ours) == raw(theirs), proto
        assert ("Strict-Transport-Security" in ours.headers) is (proto == "https")
    # Plain HTTP is redirected by the lane's SecurityMiddleware: the entry hands it over.
    settings.SECURE_SSL_REDIRECT = True
    entry, lane = apps()
    plain = entry.call("POST", path, token=token, body=body)
    assert raw(plain) == raw(lane.call("POST", path, token=token, body=body))
    assert (plain.status, entry.lanes) == (301, ["lane"])
    assert Vote.objects.count() == 6


def test_it_hands_everything_else_to_the_lane(scene: Scene) -> None:
    sid = scene.seed("Only the plainest case.")
    token = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    vote = {"statement": sid, "vote": "agree"}
    cases: list[dict[str, Any]] = [
        {"cookie": "django_language=fr"},  # changes Content-Language: the lane decides
        {"HTTP_SEC_FETCH_SITE": "cross-site"},  # refused by the lane (403)
        {"HTTP_HOST": "evil.example"},  # not an allowed host (400)
        {"body": None, "data": b" " * MAX_BODY + b'{"statement": 1, "vote": "agree"}'},
        {"body": None, "data": b'{"statement": "1", "vote": "agree"}'},  # coerced by ninja
        {"CONTENT_LENGTH": ""},
        {"SCRIPT_NAME": "/prefix"},
    ]
    for case in cases:
        entry, lane = apps()
        kwargs = {"token": token, "body": vote, **case}
        ours, theirs = entry.call("POST", path, **kwargs), lane.call("POST", path, **kwargs)
        assert entry.lanes == ["lane"], case
        assert raw(ours) == raw(theirs), case


def test_it_answers_refusals_and_errors_as_the_lane_does(scene: Scene, settings: Any) -> None:
    settings.TRACKTWO_RATELIMITS = {**settings.TRACKTWO_RATELIMITS, "vote": "2/m"}
    sid = scene.seed("Open.")
    hidden = scene.seed("Closed.")
    Statement.objects.filter(pk=hidden).update(moderation=Moderation.PENDING)
    alice, bob = (scene.join(name)["participant_token"] for name in ("Alice", "Bob"))
    path = f"/api/v1/dialogues/{scene.id}/votes"
    entry, lane = apps()
    refused = {"statement": hidden, "vote": "agree"}
    ours = entry.call("POST", path, token=alice, body=refused)
    assert (ours.status, entry.lanes) == (409, ["lane"])  # tried by the entry, then the route
    assert raw(ours) == raw(lane.call("POST", path, token=bob, body=refused))
    # Each counted once: one vote left for each in the window, then the API's 429.
    vote = {"statement": sid, "vote": "pass"}
    assert entry.call("POST", path, token=alice, body=vote).status == 201
    assert lane.call("POST", path, token=bob, body=vote).status == 201
    ours, theirs = (
        app.call("POST", path, token=t, body=vote) for app, t in ((entry, alice), (lane, bob))
    )
    assert ours.status == 429 and "Retry-After" in ours.headers
    assert raw(ours) == raw(theirs)


def test_it_answers_503_when_redis_is_unreachable(scene: Scene, settings: Any) -> None:
    sid = scene.seed("Counted in Redis.")
    token = scene.join("Alice")["participant_token"]
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1},
        },
    }
    path = f"/api/v1/dialogues/{scene.id}/votes"
    entry, lane = apps()
    body = {"statement": sid, "vote": "agree"}
    ours = entry.call("POST", path, token=token, body=body)
    theirs = lane.call("POST", path, token=token, body=body)
    assert (ours.status, ours.headers["Retry-After"]) == (503, "5")
    assert ours.body["detail"]
    assert raw(ours) == raw(theirs)
    assert Vote.objects.count() == 0


def test_it_turns_itself_off_for_a_middleware_it_was_not_written_for(
    scene: Scene, settings: Any
) -> None:
    sid = scene.seed("Reviewed first.")
    token = scene.join("Alice")["participant_token"]
    path = f"/api/v1/dialogues/{scene.id}/votes"
    assert apps()[0].app.votes.enabled
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]
    entry, lane = apps()
    assert not entry.app.votes.enabled
    body = {"statement": sid, "vote": "agree"}
    ours = entry.call("POST", path, token=token, body=body)
    assert (ours.status, entry.lanes) == (201, ["lane"])
    assert raw(ours) == raw(lane.call("POST", path, token=token, body=body))
