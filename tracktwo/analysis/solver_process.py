"""A second process that forms each update's Gram matrix and solves its components.

A replay's two halves ran as two threads of one process: the calling thread's projection and
clusterings, and the pool's patch, Gram matrix and solve. Both are hundreds of NumPy and BLAS
calls per update, and every call takes the interpreter lock back: on two cores each half ran
about a quarter slower beside the other than alone (measured: the solve 35 ms of wall time for
25 ms of its thread's CPU). Here the Gram matrix and the solve run in a process of their own,
with its own lock: the sums live in files both processes map (:class:`SharedFiles`, in
``/dev/shm`` where there is one), the pool thread patches them and hands the process the small
rest (column tallies, the previous components) through a pipe, and takes the components back.

The process runs the same function as the pool did (``solvers.components_ahead``) on the same
numbers, on one thread with BLAS on one thread: the same bits.

It runs at its caller's priority. At nice +10 the calling thread had a core whenever it could
run, which paid while its projection and clusterings were an update's longest chain. They no
longer are: the process's form and solve are (about 28 ms of CPU an update at 100k x 2,000,
against 24 ms for the calling process's threads), and at equal priority the 100k replay took
15.7-16.9 s against 16.1-17.4 s at +10 (seven interleaved pairs, every one faster).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from contextvars import ContextVar
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tracktwo.analysis.gram_sums import SHARED, GramSums
from tracktwo.analysis.pca import Components
from tracktwo.analysis.result import AnalysisParams

__all__ = [
    "SOLVER",
    "Pending",
    "SharedFiles",
    "SolverProcess",
    "serve",
    "serve_on",
    "solving_apart",
]

SOLVER: ContextVar[SolverProcess | None] = ContextVar("tracktwo_solver", default=None)
"""The process that solves the updates prepared ahead, while a replay runs."""


class SharedFiles:
    """Zero-filled arrays in files of one folder (in memory where ``/dev/shm`` exists), which
    another process maps by name; the folder is removed by :meth:`close` (arrays already
    mapped stay valid)."""

    def __init__(self) -> None:
        # a private folder (mkdtemp makes it 0700), in memory where Linux offers it
        where = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
        self.folder = tempfile.mkdtemp(prefix="tracktwo-sums-", dir=where)
        self.count = 0

    def zeros(self, shape: tuple[int, ...], dtype: Any) -> tuple[NDArray[Any], str]:
        path = os.path.join(self.folder, f"{self.count}.npy")
        self.count += 1
        array = np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=shape)
        return array, path

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class SolverLost(RuntimeError):
    """The solving process could not be started, or ended before it answered."""


class Pending:
    """A request to the solving process: ``formed`` is set once its Gram matrix is formed (the
    sums are then free); :meth:`result` waits for its components."""

    def __init__(self) -> None:
        self.formed, self.done = threading.Event(), threading.Event()
        self.value: Components | None = None
        self.error: BaseException | None = None

    def result(self) -> Components | None:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


class SolverProcess:
    """The solving process, started by :meth:`start` or at the first request, which it
    answers in order; a thread of this process reads its answers."""

    def __init__(self) -> None:
        self.connection: Connection | None = None
        self.process: Any = None
        self.lock = threading.Lock()
        self.waiting: deque[Pending] = deque()
        self.lost = False  # no process to ask (it did not start, or it ended)

    def request(
        self,
        sums: GramSums,
        tallies: NDArray[np.int64],
        zeroed: NDArray[np.bool_],
        n_participants: int,
        params: AnalysisParams,
        previous: NDArray[np.float64],
    ) -> Pending:
        """``solvers.components_ahead`` of ``sums`` (kept in files), asked of the process."""
        if sums.files is None:
            raise ValueError("these Gram sums are not kept in shared files")
        pending = Pending()
        with self.lock:
            if self.lost:
                raise SolverLost("the solving process is gone")
            try:
                connection = self._started()
            except OSError as error:
                self.lost = True
                raise SolverLost(f"the solving process did not start: {error}") from error
            self.waiting.append(pending)
            connection.send(("solve", sums.files, sums.n, tallies, zeroed, n_participants,
                             params, previous))  # fmt: skip
        return pending

    def start(self) -> None:
        """Start the process now, so that it has loaded what it needs by the first request
        (a replay's updates build Gram sums only after their first hundred or so); a process
        that does not start is lost, as at a request."""
        with self.lock:
            if self.lost:
                return
            try:
                self._started()
            except OSError:
                self.lost = True

    def _started(self) -> Connection:
        """The connection to the process, started here at the first call: a fresh interpreter
        (not a fork of this threaded one, nor a re-run of the caller's main module) that
        imports only what it needs, talking over one end of a socket pair it inherits."""
        if self.connection is None:
            ours, theirs = multiprocessing.Pipe()
            here = str(Path(__file__).resolve().parents[2])  # where ``tracktwo`` is imported from
            path = os.pathsep.join([here, *filter(None, [os.environ.get("PYTHONPATH")])])
            code = f"from tracktwo.analysis.solver_process import serve_on; serve_on({theirs.fileno()})"
            self.process = subprocess.Popen(  # noqa: S603 - this interpreter, our own code
                [sys.executable, "-c", code],
                pass_fds=[theirs.fileno()],
                env={**os.environ, "PYTHONPATH": path},
            )
            theirs.close()
            self.connection = ours
            threading.Thread(target=self._read, args=(ours,), daemon=True).start()
        return self.connection

    def _read(self, connection: Connection) -> None:
        """Hand each answer to the request it answers (the oldest one waiting)."""
        while True:
            try:
                kind, value = connection.recv()
            except (EOFError, OSError):
                break
            pending = self.waiting[0]
            if kind == "formed":
                pending.formed.set()
                continue
            self.waiting.popleft()
            if kind == "error":
                pending.error = value
            else:
                pending.value = value
            pending.formed.set()
            pending.done.set()
        self.lost = True
        while self.waiting:  # the process ended: no answer will come
            pending = self.waiting.popleft()
            pending.error = SolverLost("the solving process ended before it answered")
            pending.formed.set()
            pending.done.set()

    def close(self) -> None:
        with self.lock:
            if self.connection is not None:
                with contextlib.suppress(OSError):
                    self.connection.send(("stop", None))
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:  # pragma: no cover - a stuck solve
                    self.process.kill()
                self.connection.close()
                self.connection = None


@contextlib.contextmanager
def solving_apart() -> Iterator[None]:
    """Within: new Gram sums are kept in shared files, and updates prepared ahead have their
    Gram matrix formed and their components solved by a :class:`SolverProcess`."""
    files, solver = SharedFiles(), SolverProcess()
    shared, solving = SHARED.set(files), SOLVER.set(solver)
    solver.start()
    try:
        yield
    finally:
        SOLVER.reset(solving)
        SHARED.reset(shared)
        solver.close()
        files.close()


def serve_on(descriptor: int) -> None:
    """:func:`serve` on the connection inherited as ``descriptor``; then the process ends at
    once, without tearing its interpreter down (0.3 s with Numba and SciPy loaded, which the
    replay waited for at its end): it holds nothing to save."""
    from tracktwo.analysis.heap import keep_freed_heap

    keep_freed_heap()  # it allocates and frees the same arrays at every request
    serve(Connection(descriptor))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def serve(connection: Connection) -> None:
    """The solving process: answers each request with ``("formed", None)`` once the Gram
    matrix is formed, then ``("done", components)`` (or ``("error", exception)``)."""
    from threadpoolctl import threadpool_limits

    from tracktwo.analysis.gram_loops import load
    from tracktwo.analysis.parallel import mark_as_pool
    from tracktwo.analysis.solvers import components_ahead

    mark_as_pool()  # one thread: the other core is the calling process's
    load(read_only=True)  # Numba and the compiled loops, before a request waits for them
    import scipy.linalg  # noqa: F401 - the block solve's, as slow to import

    mapped: dict[tuple[str, ...], GramSums] = {}
    with threadpool_limits(limits=1, user_api="blas"):
        while True:
            try:
                request = connection.recv()
            except EOFError:
                return
            if request[0] == "stop":
                return
            _kind, files, n, tallies, zeroed, n_participants, params, previous = request
            try:
                sums = mapped.get(files) or _mapped(files, n)
                mapped = {files: sums}  # the sums of earlier sizes are dropped
                found = components_ahead(
                    sums, tallies, zeroed, n_participants, params, previous,
                    lambda: connection.send(("formed", None)),
                )  # fmt: skip
            except Exception as error:  # handed to the update, which raises it
                connection.send(("error", error))
            else:
                connection.send(("done", found))


def _mapped(files: tuple[str, ...], n: int) -> GramSums:
    """Sums of ``n`` statements read from ``files`` (``GramSums.files``), with a Gram matrix
    array of this process's own."""
    sums = GramSums.__new__(GramSums)
    sums.n, sums.files, sums.out = n, files, np.zeros((0, 0))
    sums.s, sums.a, sums.at, sums.nn = (np.load(path, mmap_mode="r") for path in files)
    return sums
