"""A real worker publishes the whole chains and a readers' view of them; a ``tracktwo serve``
process answers the dashboard from the view, and the answer is the one the whole chains
give (loaded in another process, as every app process did before)."""

from __future__ import annotations

import json
import time

import pytest
from cluster import Cluster

pytestmark = pytest.mark.database

WHOLE = """
import json
from tracktwo.dialogues.models import Dialogue
from tracktwo.insight import chains, service, shared
dialogue = Dialogue.objects.get(pk={dialogue})
shared.client().set(shared.key(dialogue.pk, "asked"), b"1", px=60_000)  # enqueue nothing
shared.load(dialogue, full=True)
assert not chains.entry(dialogue.pk).views
print(json.dumps(service.dialogue_analysis(dialogue, "facilitator")))
"""


def test_it_answers_from_the_view_what_the_whole_chains_answer(cluster: Cluster) -> None:
    import redis

    seeded = cluster.seed(voters=12, statements=6)
    _, port = cluster.serve()
    cluster.worker()
    for voter in range(12):
        for statement in range(6):
            value = ("agree", "disagree", "pass")[(voter // 4 + statement) % 3]
            assert cluster.vote(port, voter, statement, value).status == 201
    served = cluster.wait_counted(port, 72)
    published = redis.Redis.from_url(cluster.redis_url)
    prefix = f"tracktwo:insight:{seeded['dialogue']}"
    # readers get the view first; the whole chains follow it (shared.publish_view)
    deadline = time.monotonic() + 60
    while not published.strlen(f"{prefix}:blob") and time.monotonic() < deadline:
        time.sleep(0.02)
    view, blob = published.strlen(f"{prefix}:view"), published.strlen(f"{prefix}:blob")
    assert 0 < view < blob
    whole = json.loads(cluster.django(WHOLE.format(dialogue=seeded["dialogue"])))
    served.pop("stale")
    whole.pop("stale")
    assert served["status"] == "ready" and served["votes_counted"] == 72
    assert served == whole
