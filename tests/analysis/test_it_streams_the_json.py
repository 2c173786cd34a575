"""The command line's JSON, written in blocks without a Python object per participant, is the
documented ``to_json()`` document: the same once parsed, for numeric and named ids alike."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from polis_fixtures import FIXTURES, load

from tracktwo.analysis import json_stream
from tracktwo.analysis.engine import analyze
from tracktwo.analysis.json_stream import write_json
from tracktwo.analysis.votes import from_records


def streamed(result, extra=None) -> object:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    write_json(result, out, extra)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("name", FIXTURES)
def test_it_streams_the_same_document_for_real_conversations(
    shared_data: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_stream, "BLOCK", 7)  # many blocks, even on a small conversation
    result = analyze(load(shared_data / "polis-math" / name).events)
    assert streamed(result) == json.loads(json.dumps(result.to_json()))


def test_it_streams_named_ids_and_extra_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "BLOCK", 3)
    rng = np.random.default_rng(5)
    names = ["ana", 'b"o', "ç", "d\\e", "eve", "fay", "gus", "hal", "ivy", "jo", "kim", "lu"]
    names += [f"p{i}" for i in range(40)]
    records = [
        (person, int(s), int(rng.integers(-1, 2)), float(t))
        for t, (person, s) in enumerate(
            (p, s) for p in names for s in rng.choice(12, size=9, replace=False)
        )
    ]
    result = analyze(from_records(records))
    extra = {"sides": {"a": [1, 2]}, "bridging": None}
    expected = json.loads(json.dumps(result.to_json() | extra))
    assert streamed(result, extra) == expected
