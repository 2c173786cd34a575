"""glibc's heap kept for a computation's own reuse, not handed back to the kernel between steps.

A replay allocates and frees arrays of the same sizes at every update (from a few hundred
kilobytes to a few megabytes: cells, tallies, projections, clusterings). glibc serves a block
above its mmap threshold from a mapping of its own, returned to the kernel when freed, and
hands back the heap's top once more than its trim threshold is free (its thresholds rise with
what was freed, but start at 128 KiB). The next update then takes those pages from the kernel
again, each zeroed at its first touch: a page fault per 4 KiB. With blocks up to
:data:`MAPPED_FROM` kept in the heap and its top kept up to :data:`TRIMMED_FROM`, freed memory
is reused as it is. On the 2-core reference machine the 100k replay faulted 0.29-0.30 million
pages in against 0.56-0.57 million, with 0.9-1.2 s of system time against 1.5-1.6 s, and took
15.3 and 16.0 s against 16.3 and 16.4 s (two interleaved pairs). Larger blocks (the whole
conversation's arrays) are still mapped and returned at once.

Only a replay's processes call :func:`keep_freed_heap` (``tracktwo analyze --replay`` and its
solving process): they end once their result is out. A static analysis does not: it frees
little before its end, and at 1M x 5,000 its peak rose by up to 50 MB with it. Where the C
library is not glibc, nothing changes.
"""

from __future__ import annotations

import ctypes

__all__ = ["MAPPED_FROM", "TRIMMED_FROM", "keep_freed_heap"]

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""``mallopt``'s parameters (``malloc.h``)."""

MAPPED_FROM = 32 << 20
"""Blocks from this size on are mapped apart (glibc's largest mmap threshold on 64 bits)."""

TRIMMED_FROM = 1 << 30
"""The heap's top is handed back once more than this is free."""


def keep_freed_heap() -> bool:
    """Raise glibc's mmap and trim thresholds for this process (to :data:`MAPPED_FROM` and
    :data:`TRIMMED_FROM`); ``False`` where the C library has no ``mallopt`` or refused."""
    try:  # the process's own symbols, the C library's among them (no search for its file)
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    mapped: int = mallopt(M_MMAP_THRESHOLD, MAPPED_FROM)
    trimmed: int = mallopt(M_TRIM_THRESHOLD, TRIMMED_FROM)
    return mapped == 1 and trimmed == 1
