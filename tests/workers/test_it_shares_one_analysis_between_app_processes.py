"""With REDIS_URL, a worker computes the live analysis once per change and every app process
serves the same one: two ``tracktwo serve`` processes, one ``tracktwo worker``, real Redis."""

from __future__ import annotations

import pytest
from cluster import Cluster

pytestmark = pytest.mark.database


def computed(cluster: Cluster) -> int:
    import redis

    raw = redis.Redis.from_url(cluster.redis_url).get(
        f"tracktwo:insight:{cluster.seeded['dialogue']}:computed"
    )
    return int(raw or 0)


def test_it_serves_the_workers_analysis_from_every_app_process(cluster: Cluster) -> None:
    cluster.seed(voters=12, statements=6)
    _, first = cluster.serve()
    _, second = cluster.serve()
    cluster.worker()
    answered = 0
    for voter in range(12):
        for statement in range(6):
            port = first if (voter + statement) % 2 else second
            value = ("agree", "disagree")[(voter // 6 + statement) % 2]
            assert cluster.vote(port, voter, statement, value).status == 201
            answered += 1
    seen_first = cluster.wait_counted(first, answered)
    seen_second = cluster.wait_counted(second, answered)
    assert seen_first == seen_second  # the same analysis, not one per process
    assert seen_first["votes_counted"] == 72
    # No new vote: asking again and again computes nothing more.
    done = computed(cluster)
    for _ in range(4):
        cluster.analysis(first)
        cluster.analysis(second)
    import time

    time.sleep(2.5)
    assert computed(cluster) == done
    # One more vote: computed once more, seen by both.
    assert cluster.vote(second, 0, 0, "pass").status == 201
    cluster.wait_counted(first, 73)
    assert cluster.wait_counted(second, 73)["votes_counted"] == 73
    assert computed(cluster) == done + 1
    # the refreshes (one asked for every second) leave no result behind in Redis
    import redis

    assert redis.Redis.from_url(cluster.redis_url).keys("celery-task-meta-*") == []


def test_it_shares_rate_limits_between_app_processes(cluster: Cluster) -> None:
    cluster.env["RATELIMIT_VOTE"] = "5/h"
    cluster.seed(voters=2, statements=6)
    _, first = cluster.serve()
    _, second = cluster.serve()
    statuses = [cluster.vote((first, second)[i % 2], 0, i).status for i in range(6)]
    assert statuses == [201] * 5 + [429]
