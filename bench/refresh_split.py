"""Where one refresh's time goes with workers: the worker's side and an app process's side.

    REDIS_URL=redis://127.0.0.1:6379/15 .venv/bin/python bench/refresh_split.py --participants 10000

For every participant count P, on a fresh PostgreSQL database seeded as
``bench/refresh_latency.py`` seeds it (P participants, ``--statements`` statements, each
participant voting on ``--votes-each``), in this one process (no HTTP, no Celery):

1. the first refresh (``tracktwo.insight.shared.refresh_once``: everything from nothing);
2. ``--samples`` times: one vote cast (``cast_vote``), then one refresh timed piece by
   piece -- the change marker, reading the new vote rows (``chains._events_after``), the
   engine's ``update``, the snapshot (parties, ``cross_party``, ``bridging_scores``),
   pickling, sealing, and the Redis transaction -- and then what an app process does when
   the version changes, as a process that holds nothing yet: GET, open (decrypt),
   unpickle, ``build`` and the JSON for the facilitators' dashboard;
3. once: a second worker whose chains are older continuing from what was published (where
   workers persist the whole chains only every few seconds, ``tracktwo.insight.head``:
   after the first worker is gone, replaying its steps since the persisted copy).

Each time is a median of the samples, in ms, wall-clock and this process's CPU time (the
steady figure on a shared machine), with the sizes published in Redis and the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from refresh_latency import SEED
from scale_out import create_database, drop_database

PYTHON = sys.executable
spent: dict[str, float] = defaultdict(float)
spent_cpu: dict[str, float] = defaultdict(float)  # this process's CPU time (all threads)
_began = [0.0, 0.0]  # when the timed refresh began: wall, CPU


@contextmanager
def timing(name: str) -> Iterator[None]:
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        spent[name] += time.perf_counter() - started
        spent_cpu[name] += time.process_time() - started_cpu


def wrap(module: Any, name: str, label: str) -> None:
    """Count the time spent in ``module.name`` under ``label`` (when it exists)."""
    original = getattr(module, name, None)
    if original is None:
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        with timing(label):
            return original(*args, **kwargs)

    setattr(module, name, timed)


class Pickle:
    """``pickle`` for one module, with ``dumps`` timed."""

    def __getattr__(self, name: str) -> Any:
        return getattr(pickle, name)

    @staticmethod
    def dumps(obj: Any, *args: Any, **kwargs: Any) -> bytes:
        with timing("worker: pickle"):
            return pickle.dumps(obj, *args, **kwargs)


def instrument() -> None:
    from tracktwo.insight import chains, shared
    from tracktwo.safety.sealed import Box

    wrap(shared, "change_marker", "worker: change marker")
    wrap(chains, "_events_after", "worker: read new votes")
    wrap(chains, "update", "worker: engine update")
    wrap(chains, "load_parties", "worker: snapshot: parties")
    wrap(chains, "cross_party", "worker: snapshot: cross_party")
    wrap(chains, "bridging_scores", "worker: snapshot: bridging")
    wrap(chains, "snapshot", "worker: snapshot (all)")
    wrap(chains, "advance", "worker: advance (all)")
    with contextlib.suppress(ImportError):  # the readers' view, where it exists
        from tracktwo.insight import reader_view

        wrap(reader_view, "view_of", "worker: readers' view")
    wrap(shared, "publish_whole", "worker: persist the whole chains (after readers see it)")
    with contextlib.suppress(ImportError):  # where the worker continues its chains in memory
        from tracktwo.insight import head

        wrap(head, "replay", "worker: replay the head's steps after the persisted chains")
    original_view = getattr(shared, "publish_view", None)
    if original_view is not None:  # where readers are shown the view before the blob

        def publish_view(*args: Any, **kwargs: Any) -> Any:
            with timing("worker: publish the readers' view"):
                version = original_view(*args, **kwargs)
            if "worker: readers see the new analysis at" not in spent:
                spent["worker: readers see the new analysis at"] = time.perf_counter() - _began[0]
                spent_cpu["worker: readers see the new analysis at"] = (
                    time.process_time() - _began[1]
                )
            return version

        shared.publish_view = publish_view  # type: ignore[assignment]
    shared.pickle = Pickle()  # type: ignore[assignment]
    original = Box.seal_bytes

    def seal(self: Any, *args: Any, _original: Callable[..., bytes] = original) -> bytes:
        with timing("worker: seal"):
            return _original(self, *args)

    Box.seal_bytes = seal  # type: ignore[method-assign]


def read_as_app_process(dialogue: Any) -> None:
    """What an app process holding nothing does for one dashboard request."""
    from tracktwo.insight import chains, shared
    from tracktwo.insight.json_form import as_json
    from tracktwo.safety.datakeys import box_for

    part = "view" if shared.client().exists(shared.key(dialogue.pk, "view")) else "blob"
    with timing("app: GET"):
        sealed = shared.client().get(shared.key(dialogue.pk, part))
    with timing("app: open"):
        raw = box_for(dialogue.initiative_id).open_bytes(sealed, shared._where(dialogue.pk))
    with timing("app: unpickle"):
        state = pickle.loads(raw)  # noqa: S301 - our own blob
    chain = state["chains"]["facilitator"]
    with timing("app: build"):
        insight = chains.built(chain, "facilitator", dialogue.small_cell_threshold)
    with timing("app: JSON"):
        json.dumps(as_json(insight), default=str)


def render_dashboard(dialogue: Any, user: Any) -> int:
    """What an app process holding nothing does for one poll of the facilitators' live
    dashboard that finds a new version: ``GET .../dashboard/live`` (the HTML fragment
    ``static/js/dashboard.js`` swaps in), timed piece by piece; returns its size in bytes."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    from tracktwo.insight import chains, views

    chains.forget(dialogue.pk)
    request = RequestFactory().get(f"/dialogues/{dialogue.pk}/dashboard/live")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    with timing("dashboard: the whole fragment"):
        answer = views.dashboard_live(request, dialogue.pk)
    assert answer.status_code == 200, answer.status_code
    return len(answer.content)


def instrument_dashboard() -> None:
    from tracktwo.insight import presentation, service, shared, views

    wrap(shared, "load", "shared.load (worker: whole chains; dashboard: readers' view)")
    wrap(shared, "ask_refresh", "dashboard: ask for a refresh")
    wrap(views, "version", "dashboard: version (aggregate queries)")
    wrap(views, "participation", "dashboard: participation per party")
    wrap(presentation, "sections", "dashboard: sections")
    wrap(presentation, "facilitator_map", "dashboard: opinion map SVG")
    wrap(service, "dialogue_insight", "dashboard: dialogue_insight (load + build)")


def measure(people: int, args: argparse.Namespace, work: Path) -> list[str]:
    import django

    name = f"tracktwo_split_{os.getpid()}_{people}"
    url = create_database(args.pg, name)
    env = {**os.environ, "DATABASE_URL": url, "TRACKTWO_DATA_DIR": str(work)}
    env.pop("TRACKTWO_MASTER_KEY_FILE", None)
    try:
        subprocess.run([PYTHON, "-m", "tracktwo.cli", "migrate", "-v", "0"], env=env, check=True)
        out = work / f"seed-{people}.json"
        subprocess.run(
            [PYTHON, "-c", SEED, str(people), str(args.statements), str(args.votes_each), str(out)],
            env=env,
            check=True,
        )
        seeded = json.loads(out.read_text())
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
        django.setup()
        import redis as redis_py

        from tracktwo.dialogues.actions import cast_vote
        from tracktwo.dialogues.models import Dialogue, Participant
        from tracktwo.insight import chains, shared

        redis_py.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
        dialogue = Dialogue.objects.get(pk=seeded["dialogue"])
        voter = Participant.objects.filter(dialogue=dialogue).order_by("id").first()
        assert voter is not None
        started = time.perf_counter()
        shared.refresh_once(dialogue.pk)
        first = time.perf_counter() - started
        instrument()
        instrument_dashboard()
        from tracktwo.accounts.models import User

        facilitator = User.objects.get(username="bench-facilitator")
        fragment = 0
        rows: dict[str, list[float]] = defaultdict(list)
        cpu_rows: dict[str, list[float]] = defaultdict(list)
        for i in range(args.samples):
            cast_vote(voter, seeded["statements"][i % len(seeded["statements"])], 1 - i % 3)
            spent.clear()
            spent_cpu.clear()
            _began[:] = [time.perf_counter(), time.process_time()]
            with timing("worker: refresh (all)"):
                assert shared.refresh_once(dialogue.pk) == "computed"
            worker = chains.entry(dialogue.pk)
            chains.forget(dialogue.pk)
            read_as_app_process(dialogue)
            fragment = render_dashboard(dialogue, facilitator)
            chains._entries[dialogue.pk] = worker
            for label, seconds in spent.items():
                rows[label].append(seconds * 1000)
                cpu_rows[label].append(spent_cpu[label] * 1000)
        spent.clear()
        spent_cpu.clear()
        cast_vote(voter, seeded["statements"][0], -1)
        chains.forget(dialogue.pk)  # a worker that never saw this dialogue continues it
        shared.client().delete(shared.key(dialogue.pk, "alive"))  # the first one is gone
        _began[:] = [time.perf_counter(), time.process_time()]
        with timing("second worker: refresh (all)"):
            shared.refresh_once(dialogue.pk)
        for label, seconds in spent.items():
            rows[f"second worker / {label}"].append(seconds * 1000)
            cpu_rows[f"second worker / {label}"].append(spent_cpu[label] * 1000)
        client = shared.client()
        sizes = {
            part: client.strlen(shared.key(dialogue.pk, part)) or 0 for part in ("blob", "view")
        }
        load = os.getloadavg()[0]
        lines = [
            f"\n{people:,} participants, {seeded['votes']:,} votes: first refresh "
            f"{first:.1f} s; published: blob {sizes['blob'] / 1e6:.2f} MB, "
            f"reader's view {sizes['view'] / 1e6:.2f} MB; dashboard fragment "
            f"{fragment / 1e6:.2f} MB; load average {load:.1f}\n",
            "| step | ms (median) | CPU ms (median) |",
            "|---|---|---|",
        ]
        lines += [
            f"| {label} | {statistics.median(v):.1f} | {statistics.median(cpu_rows[label]):.1f} |"
            for label, v in rows.items()
        ]
        return lines
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(args.pg, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pg", default="postgres://127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument("--participants", type=int, default=10000)
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--votes-each", type=int, default=20, help="votes per participant")
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    if "REDIS_URL" not in os.environ:
        raise SystemExit("set REDIS_URL (its database is emptied)")
    print(f"load average {os.getloadavg()[0]:.1f} at the start, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="tracktwo-split-") as tmp:
        print("\n".join(measure(args.participants, args, Path(tmp))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
