"""One pool of threads for the steps that split their work over the cores.

NumPy's element-wise loops, fancy indexing and BLAS calls, and SciPy's sparse kernels, release
the GIL, so threads over them use every core. Each step splits its work into parts whose results
do not depend on the split (every entry is computed by the same operations whichever part holds
it), so the numbers are those of one part on one thread.

The pool is made once per process (a pool per call costs a thread start per part, which on a
loaded machine is milliseconds) and is used only from the thread that runs the analysis: a part
never waits on another part, so no part can wait on a busy pool. :func:`each` runs the first
part on the calling thread and takes back any part the pool has not started by then, so a pool
busy with a :func:`background` task delays nothing.

A thread that waits for a :func:`background` result helps meanwhile: the pool thread running
that work may offer parts of it (:func:`shared`), and the waiting thread runs those it takes.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from itertools import pairwise
from typing import Any, TypeVar

from tracktwo.analysis.cells import workers

__all__ = [
    "background",
    "each",
    "mark_as_pool",
    "one_blas_thread",
    "parts",
    "shared",
    "threads",
]

T = TypeVar("T")
R = TypeVar("R")

_POOL: ThreadPoolExecutor | None = None
_LOCK = threading.Lock()
_INSIDE = threading.local()


def threads() -> int:
    """Threads a step may split its work over: the cores, 1 inside a pool thread."""
    return 1 if getattr(_INSIDE, "pool", False) else workers()


def mark_as_pool() -> None:
    """Mark the calling thread as one of the pool's (its steps then run on it alone)."""
    _INSIDE.pool = True


def _pool() -> ThreadPoolExecutor:
    global _POOL
    with _LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(
                max(1, workers() - 1),
                thread_name_prefix="tracktwo-analysis",
                initializer=mark_as_pool,
            )
        return _POOL


def each(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[work(item) for item in items]``, the items after the first on the pool.

    Parameters
    ----------
    work : callable
        Must not itself wait on the pool (it may call ``each``: inside a pool thread that runs
        serially).
    items : sequence

    Returns
    -------
    list : the results, in the order of ``items``.
    """
    if len(items) <= 1 or threads() <= 1:
        return [work(item) for item in items]
    pool = _pool()
    futures = [pool.submit(work, item) for item in items[1:]]
    results = [work(items[0])]
    for item, future in zip(items[1:], futures, strict=True):
        results.append(work(item) if future.cancel() else future.result())
    return results


def background(work: Callable[[], R]) -> Callable[[], R]:
    """Start ``work`` on the pool; the function returned waits for its result.

    ``work`` runs once: a thread that asks for the result before the pool has started it
    runs it there (any other thread asking meanwhile waits for it). While it waits for the
    pool, it runs the parts the pool offers (:func:`shared`). On one core (or inside a pool
    thread) ``work`` runs when its result is asked for.
    """
    if threads() <= 1:
        return work
    held: list[Future[R]] = [_pool().submit(work)]
    held[0].add_done_callback(_OFFERS.wake)
    lock = threading.Lock()

    def result() -> R:
        with lock:
            future = held[0]
            if future.cancel():  # not started: run here
                future = held[0] = Future()
                try:
                    future.set_result(work())
                except BaseException as error:
                    future.set_exception(error)
        _OFFERS.help_until(future.done)
        return future.result()

    return result


def shared(work: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[work(item) for item in items]``, the items after the first offered to whichever
    thread can take them meanwhile: a pool thread that is idle, or one that waits for a
    :func:`background` result. An item not taken by the time the
    calling thread comes to it runs there.

    Parameters
    ----------
    work : callable
        Must not wait on anything (it may run on any thread).
    items : sequence

    Returns
    -------
    list : the results, in the order of ``items``.
    """
    if len(items) <= 1 or workers() <= 1:
        return [work(item) for item in items]
    offered = [_Part(work, item) for item in items[1:]]
    _OFFERS.offer(offered)
    if not getattr(_INSIDE, "pool", False):  # an idle pool thread takes them too
        pool = _pool()
        for _ in offered:
            pool.submit(_OFFERS.run_one)
    results = [work(items[0])]
    for part in offered:
        if _OFFERS.withdraw(part):
            part.run()
        results.append(part.collect())
    return results


class _Part:
    """An item of :func:`shared`, with its result once run."""

    def __init__(self, work: Callable[[Any], Any], item: Any) -> None:
        self.work, self.item = work, item
        self.done = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        """Run it, keeping what it returns or raises for :meth:`collect`."""
        try:
            self.result = self.work(self.item)
        except BaseException as error:
            self.error = error
        finally:
            self.done.set()

    def collect(self) -> Any:
        """Its result, once run (what it raised, raised here)."""
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.result


class _Offers:
    """The parts offered by pool threads, taken by threads waiting on the pool."""

    def __init__(self) -> None:
        self.ready = threading.Condition()
        self.parts: deque[_Part] = deque()

    def offer(self, parts: list[_Part]) -> None:
        with self.ready:
            self.parts.extend(parts)
            self.ready.notify()

    def withdraw(self, part: _Part) -> bool:
        """Take back ``part`` if no thread has taken it (then the caller runs it)."""
        with self.ready:
            try:
                self.parts.remove(part)
            except ValueError:
                return False
            return True

    def wake(self, _done: object = None) -> None:
        """Wake the threads waiting for offers to look at what they wait for."""
        with self.ready:
            self.ready.notify_all()

    def help_until(self, done: Callable[[], bool]) -> None:
        """Run offered parts until ``done()``."""
        while True:
            with self.ready:
                while not self.parts and not done():
                    self.ready.wait()
                if done():
                    return
                part = self.parts.popleft()
            part.run()

    def run_one(self) -> None:
        """Run one offered part, if any is left."""
        with self.ready:
            part = self.parts.popleft() if self.parts else None
        if part is not None:
            part.run()


_OFFERS = _Offers()


def parts(n: int, count: int, multiple: int = 1) -> list[tuple[int, int]]:
    """``range(n)`` cut into at most ``count`` consecutive ``(start, stop)`` runs of about
    equal length, every cut at a multiple of ``multiple``; shape (count or fewer, 2)."""
    count = max(1, min(count, -(-n // max(multiple, 1)) if n else 1))
    cuts = [0]
    for r in range(1, count):
        cut = (n * r // count) // multiple * multiple
        if cuts[-1] < cut < n:
            cuts.append(cut)
    cuts.append(n)
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def one_blas_thread() -> AbstractContextManager[Any]:
    """A context in which BLAS runs on one thread.

    For products of a matrix with a few vectors (a mat-vec, statements x 8): a second BLAS
    thread only waits on the first and spins beside the pool's thread, and the sums it splits
    differ in their last bits with the number of cores, so the results would too.

    On a pool thread, nothing: BLAS's thread count belongs to the process (and OpenBLAS does
    not take it back up from another thread), so work the pool runs for an update runs under
    the context of whoever started it; a replay holds one throughout."""
    if getattr(_INSIDE, "pool", False):
        return nullcontext()
    limit: AbstractContextManager[Any] = _blas().limit(limits=1, user_api="blas")
    return limit


@cache
def _blas() -> Any:
    """The BLAS libraries loaded, found once (finding them costs a millisecond or two a call).

    SciPy's LAPACK is loaded first, so that its BLAS is among them."""
    from scipy import linalg  # noqa: F401
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()
