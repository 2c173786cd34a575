"""``AnalysisResult.to_json()`` written straight to a byte stream, at a million participants.

The document is the one ``result_to_json`` builds (``docs/analysis.schema.json``), but the parts
that hold one entry per participant (``projection``, ``in_conv``, each group's and each base
cluster's ``members``) never become Python objects: NumPy arrays are encoded by orjson in blocks
and written as they are encoded. Everything else (a few entries per statement) goes through
orjson as a dictionary in which those parts are placeholders, split out again on writing.
Parsed, the output equals ``json.loads(json.dumps(result.to_json()))``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import orjson
from numpy.typing import NDArray

from tracktwo.analysis.ids import Id
from tracktwo.analysis.result_json import _document

if TYPE_CHECKING:
    from tracktwo.analysis.result import AnalysisResult

BLOCK = 1 << 16  # participants per encoded block of the projection
_NUMPY = orjson.OPT_SERIALIZE_NUMPY
_PLACE = re.compile(rb'"\\u0000tracktwo:(\d+)\\u0000"')

__all__ = ["write_json"]


def write_json(result: AnalysisResult, out: IO[bytes], extra: dict[str, Any] | None = None) -> None:
    """Write the JSON form of ``result`` (plus the top-level keys of ``extra``) to ``out``.

    Parameters
    ----------
    result : AnalysisResult
    out : binary stream
    extra : dict, optional
        More top-level entries (the cross-side report), encoded as they are.
    """
    pids = result.participant_ids
    numbers = _id_array(pids)
    parts: list[Callable[[], Iterator[bytes]]] = []

    def placeholder(make: Callable[[], Iterator[bytes]]) -> str:
        parts.append(make)
        return f"\x00tracktwo:{len(parts) - 1}\x00"

    def ids_of(indices: NDArray[np.intp]) -> str:
        return placeholder(lambda: _id_list(pids, numbers, indices))

    projection = placeholder(lambda: _projection(pids, numbers, result.projection))
    document = _document(result, ids_of, projection)
    if extra:
        document |= extra
    text = orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)
    position = 0
    for match in _PLACE.finditer(text):
        out.write(text[position : match.start()])
        for chunk in parts[int(match.group(1))]():
            out.write(chunk)
        position = match.end()
    out.write(text[position:])


def _id_array(pids: Sequence[Id]) -> NDArray[np.int64] | None:
    """The ids as int64 when they all are whole numbers that fit, else None."""
    if not pids or not all(type(p) is int for p in pids):
        return None
    try:
        return np.array(pids, np.int64)
    except OverflowError:
        return None


def _id_list(
    pids: Sequence[Id], numbers: NDArray[np.int64] | None, indices: NDArray[np.intp]
) -> Iterator[bytes]:
    """``[id, ...]`` of the participants ``indices``."""
    if numbers is not None:
        yield orjson.dumps(numbers[indices], option=_NUMPY)
    else:
        yield orjson.dumps([pids[i] for i in indices.tolist()])


def _projection(
    pids: Sequence[Id], numbers: NDArray[np.int64] | None, points: NDArray[np.float64]
) -> Iterator[bytes]:
    """``{"id": [x, y], ...}`` block by block; non-finite coordinates as 0 (as ``_num``)."""
    yield b"{"
    n = len(pids)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        block = np.nan_to_num(points[start:stop], nan=0.0, posinf=0.0, neginf=0.0)
        values = orjson.dumps(np.ascontiguousarray(block), option=_NUMPY)[2:-2].split(b"],[")
        if numbers is not None:
            keys = orjson.dumps(numbers[start:stop], option=_NUMPY)[1:-1].split(b",")
            text = b",".join([b'"%b":[%b]' % pair for pair in zip(keys, values, strict=True)])
        else:
            named = [orjson.dumps(str(pid)) for pid in pids[start:stop]]
            text = b",".join([b"%b:[%b]" % pair for pair in zip(named, values, strict=True)])
        if start:
            yield b","
        yield text
    yield b"}"
