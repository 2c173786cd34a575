"""The operator's ``tracktwo export-polis`` obeys the same do-no-harm gate as the API's
export: no assessment, an assessment that kept it off, or one made at a lower level than
today's is refused in one line (exit 2, no traceback); at high risk exports are off."""

from __future__ import annotations

from pathlib import Path

import pytest
from consent_support import Room
from factories import assess_tool

from tracktwo.cli import main
from tracktwo.consent.actions import set_risk_profile


def export(room: Room, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["export-polis", str(room.dialogue.pk), "-o", str(out), "--force"])
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    return status, err


def test_it_refuses_the_export_until_it_is_assessed(
    room: Room, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    status, err = export(room, out, capsys)
    assert status == 2 and len(err.splitlines()) == 1
    assert "do-no-harm assessment of the Pol.is export" in err
    assert not (out / "votes.csv").exists()
    assess_tool(room.dialogue, room.workshop.convener, "polis_export", enabled=False)
    status, err = export(room, out, capsys)
    assert status == 2 and "decided to keep it off" in err
    assert not (out / "votes.csv").exists()
    assess_tool(room.dialogue, room.workshop.convener, "polis_export")
    status, err = export(room, out, capsys)
    assert status == 0 and err == ""
    assert (out / "votes.csv").exists()


def test_it_refuses_the_export_at_high_risk_even_when_assessed(
    room: Room, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assess_tool(room.dialogue, room.workshop.convener, "polis_export")
    set_risk_profile(room.participants[0], {"level": "high"})
    out = tmp_path / "out"
    status, err = export(room, out, capsys)
    assert status == 2 and len(err.splitlines()) == 1
    assert "exports are off" in err
    assert not (out / "votes.csv").exists()
