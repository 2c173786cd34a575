"""Run one command in a fresh child process and measure it: wall time, peak RSS, outcome.

The child gets an address-space limit (``RLIMIT_AS``) and a timeout; it runs in its own session
so that a timeout kills it and everything it started. Peak RSS comes from ``wait4`` on that
child alone (the kernel's ``ru_maxrss``: the largest resident set of the child or of any
descendant it waited for), so one run's peak never mixes with another's.

A child can hand back a result by printing one line ``RESULT <json>`` on stdout (when stdout is
captured); it lands in ``Measurement.result``.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

RESULT_PREFIX = "RESULT "
GB = 1024**3


@dataclass(frozen=True)
class Measurement:
    """How one child run went.

    ``status`` is ``ok``, ``timeout`` (killed after ``timeout_s``), ``oom`` (killed by a
    signal or a ``MemoryError`` under the memory limit) or ``error`` (non-zero exit).
    """

    status: str
    wall_s: float
    peak_mb: float
    returncode: int
    cpu_s: float = float("nan")  # user + system CPU time of the child
    stderr_tail: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _limit(memory_bytes: int | None) -> None:
    """In the child, before exec: cap its address space."""
    if memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def run(
    command: Sequence[str],
    *,
    memory_limit: int | None = None,
    timeout_s: float | None = None,
    cpu_timeout_s: float | None = None,
    stdout: Path | None = None,
    capture_result: bool = False,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Measurement:
    """Run ``command``; return its wall time, peak RSS (MB) and outcome.

    ``timeout_s`` bounds wall time, ``cpu_timeout_s`` the child's CPU time (fairer on a shared
    machine). ``stdout`` is written to that file, or parsed for a ``RESULT`` line when ``capture_result``,
    or discarded (``/dev/null``). stderr is kept in a temporary file and its tail reported.
    """
    with tempfile.TemporaryFile("w+") as err, _stdout_sink(stdout, capture_result) as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=lambda: _limit(memory_limit),  # a fresh child: nothing to upset
            env=env,
            cwd=cwd,
        )
        status_word, usage = _wait(child.pid, start, timeout_s, cpu_timeout_s)
        wall = time.perf_counter() - start
        child.returncode = _returncode(status_word) if status_word is not None else -9
        err.seek(0)
        tail = err.read()[-2000:]
        result: dict[str, Any] = {}
        if capture_result and out is not None and not isinstance(out, int):
            out.seek(0)
            for line in out:
                if line.startswith(RESULT_PREFIX):
                    result = json.loads(line[len(RESULT_PREFIX) :])
    peak_mb = usage.ru_maxrss / 1024 if usage is not None else float("nan")
    cpu_s = usage.ru_utime + usage.ru_stime if usage is not None else float("nan")
    if status_word is None:
        status = "timeout"
    elif child.returncode == 0:
        status = "ok"
    elif child.returncode < 0 or "MemoryError" in tail or "Unable to allocate" in tail:
        status = "oom" if memory_limit is not None else "error"
    else:
        status = "error"
    return Measurement(status, wall, peak_mb, child.returncode, cpu_s, tail, result)


class _stdout_sink:
    """Where the child's stdout goes: a file, a temporary file to parse, or /dev/null."""

    def __init__(self, path: Path | None, capture: bool) -> None:
        self.path, self.capture = path, capture
        self.handle: IO[str] | None = None

    def __enter__(self) -> IO[str] | int:
        if self.path is not None:
            self.handle = open(self.path, "w")
            return self.handle
        if self.capture:
            self.handle = tempfile.TemporaryFile("w+")
            return self.handle
        return subprocess.DEVNULL

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a running process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(
    pid: int, start: float, timeout_s: float | None, cpu_timeout_s: float | None = None
) -> tuple[int | None, resource.struct_rusage | None]:
    """Wait for ``pid``; on timeout kill its whole session. Returns (status, rusage)."""
    delay = 0.01
    while True:
        done, status_word, usage = os.wait4(pid, os.WNOHANG)
        if done == pid:
            return status_word, usage
        late = timeout_s is not None and time.perf_counter() - start > timeout_s
        if not late and cpu_timeout_s is not None and delay >= 0.2:
            late = cpu_seconds(pid) > cpu_timeout_s
        if late:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
            return None, usage
        time.sleep(delay)
        delay = min(delay * 1.5, 0.2)


def _returncode(status_word: int) -> int:
    if os.WIFSIGNALED(status_word):
        return -os.WTERMSIG(status_word)
    return os.WEXITSTATUS(status_word)


class Phases:
    """Wall time, CPU time (all threads) and peak RSS after each named step of a process.

    ``wrap(name, function)`` returns ``function`` timed under ``name`` (calls add up); wrap
    steps that do not call one another, so that the times add up to the whole.
    """

    def __init__(self) -> None:
        self.start, self.start_cpu = time.perf_counter(), time.process_time()
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.peak_mb: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.wall[name] += time.perf_counter() - start
                self.cpu[name] += time.process_time() - cpu
                self.peak_mb[name] = self_peak_mb()

        return timed

    def report(self) -> dict[str, dict[str, float]]:
        wall = {**self.wall, "total": time.perf_counter() - self.start}
        cpu = {**self.cpu, "total": time.process_time() - self.start_cpu}
        return {"seconds": wall, "cpu_seconds": cpu, "peak_mb_after": self.peak_mb}


def emit_result(payload: dict[str, Any]) -> None:
    """For a child: hand ``payload`` back to ``run(..., capture_result=True)``."""
    print(RESULT_PREFIX + json.dumps(payload), flush=True)


def self_peak_mb() -> float:
    """Peak RSS of the calling process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str]:
    """nproc, CPU model and memory of this machine, for the record."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024**2:.0f} GB"
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": memory}
