"""Keeping live analyses fresh outside requests: :func:`refresh_dialogue` and the thread.

:func:`refresh_dialogue` ``(dialogue_id)`` brings both chains of one dialogue up to date
with the database (:func:`tracktwo.insight.chains.advance`); it is a plain function, so a
worker process (a future Celery task, say) can run it as well as the thread here.

With ``settings.TRACKTWO_LIVE_BACKGROUND`` (which ``tracktwo.site.wsgi``, hence
``tracktwo serve``, sets) each worker process starts one daemon thread
(:class:`Refresher`) that calls :func:`refresh_dialogue` once a second for every dialogue
asked about in the last :data:`WATCH_SECONDS` (:func:`watch`). It closes its database
connection after each round, so it holds none while idle. Without that setting (tests,
``manage.py shell``, the development server) no thread runs and requests refresh inline
(:mod:`tracktwo.insight.service`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from tracktwo import workers
from tracktwo.dialogues.models import Dialogue
from tracktwo.insight import chains
from tracktwo.insight.results import AUDIENCES, Audience

logger = logging.getLogger("tracktwo.live")

WATCH_SECONDS = 120.0  # the background thread keeps refreshing a dialogue this long


def refresh_dialogue(
    dialogue_id: int, after: Callable[[Audience, bool], None] | None = None
) -> None:
    """Bring the dialogue's cached analyses (both audiences) up to date, or drop them if
    the dialogue is gone or purged. Waits for a refresh already under way.

    ``after(audience, changed)`` is called once each chain is advanced, the facilitators'
    first (the participants' aligns its group ids with it), still under the entry's lock:
    a worker publishes the facilitators' new analysis there without waiting for the
    participants' chain (:func:`tracktwo.insight.shared.refresh_once`)."""
    dialogue = Dialogue.objects.filter(pk=dialogue_id, purged_at__isnull=True).first()
    if dialogue is None:
        chains.forget(dialogue_id)
        return
    cached = chains.entry(dialogue_id)
    with cached.lock:
        for audience in AUDIENCES:
            before = cached.chains[audience].version
            chains.advance(cached, dialogue, audience)
            if after is not None:
                after(audience, cached.chains[audience].version != before)


def background_enabled() -> bool:
    """Whether this process refreshes analyses in a background thread (never with
    ``REDIS_URL``: then workers do, see :mod:`tracktwo.insight.shared`)."""
    if workers.enabled():
        return False
    return bool(getattr(settings, "TRACKTWO_LIVE_BACKGROUND", None))


class Refresher(threading.Thread):
    """Refreshes watched dialogues once a second (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__(name="tracktwo-live-analysis", daemon=True)
        self.watched: dict[int, float] = {}
        self.guard = threading.Lock()
        self.pid = os.getpid()
        self.stopping = threading.Event()
        self.rounds = 0

    def watch(self, dialogue_id: int) -> None:
        with self.guard:
            self.watched[dialogue_id] = time.monotonic()

    def run(self) -> None:
        while not self.stopping.wait(1.0):
            now = time.monotonic()
            with self.guard:
                for dialogue_id, seen in list(self.watched.items()):
                    if now - seen > WATCH_SECONDS:
                        del self.watched[dialogue_id]
                ids = list(self.watched)
            try:
                for dialogue_id in ids:
                    try:
                        refresh_dialogue(dialogue_id)
                    except Exception:
                        logger.exception("live analysis of dialogue %s failed", dialogue_id)
            finally:
                connection.close()
            self.rounds += 1


_thread: Refresher | None = None
_thread_lock = threading.Lock()


def worker() -> Refresher:
    """This process's refresher thread, started if it is not running (or after a fork)."""
    global _thread
    with _thread_lock:
        if _thread is None or _thread.pid != os.getpid() or not _thread.is_alive():
            _thread = Refresher()
            _thread.start()
        return _thread


def watch(dialogue_id: int) -> None:
    """Keep the dialogue refreshed in the background for the next :data:`WATCH_SECONDS`."""
    worker().watch(dialogue_id)


def stop_background() -> None:
    """Stop this process's background thread (tests; a new one starts when needed)."""
    global _thread
    with _thread_lock:
        thread, _thread = _thread, None
    if thread is not None:
        thread.stopping.set()
        thread.join(timeout=30)
