"""``tracktwo brief DIALOGUE --format pdf -o FILE`` and ``tracktwo brief trace FILE``."""

from __future__ import annotations

from pathlib import Path

import pytest
from transfer_support import COMMON, Scenario

from tracktwo.cli import main
from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions

pytestmark = pytest.mark.django_db


def test_it_writes_a_pdf_and_audits_the_export(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.pdf"
    code = main(["brief", str(scenario.dialogue.pk), "--format", "pdf", "-o", str(out)])
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "wrote" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="brief.exported")
    assert (event.actor_kind, event.actor_id) == ("operator", "operator")
    assert event.details == {"session": None, "format": "pdf"}


def test_it_writes_markdown_of_one_session_to_stdout(
    scenario: Scenario, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["brief", str(scenario.dialogue.pk), "--session", "1"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert COMMON in out and "Session 1 ·" in out and "CANARY" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["brief", "water"], "is not a dialogue id"),
        (["brief", "999999"], "no such dialogue"),
        (["brief", "{dialogue}", "--session", "7"], "has no session 7"),
        (["brief", "trace"], "give the leaked copy"),
        (["brief", "trace", "/nonexistent/leak.pdf"], "no such file"),
        (["brief", "{dialogue}", "-o", "/nonexistent/dir/brief.md"], "cannot write it"),
    ],
)
def test_it_explains_mistakes_without_a_traceback(
    scenario: Scenario, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    argv = [arg.replace("{dialogue}", str(scenario.dialogue.pk)) for arg in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_it_traces_a_leaked_file(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    copies = actions.issue(brief, scenario.facilitator, [(u, "") for u in scenario.liaisons])
    leaked = copies[1]
    actions.open_link(leaked.link_token, leaked.recipient.user)
    path = tmp_path / "leak.md"
    path.write_bytes(actions.render_copy(leaked.recipient, "md", leaked.recipient.user).body)
    assert main(["brief", "trace", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"copy 2 of brief {brief.pk} (code {leaked.recipient.code})" in out
    assert leaked.recipient.user.get_username() in out
    event = AuditEvent.objects.filter(action="brief.traced").latest("id")
    assert event.actor_kind == "operator" and event.details["found"] is True
    clean = tmp_path / "clean.txt"
    clean.write_text("nothing to see")
    assert main(["brief", "trace", str(clean)]) == 1
