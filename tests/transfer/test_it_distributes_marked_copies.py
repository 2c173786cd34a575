"""Issued briefs: one marked copy per liaison; copies differ only in the mark; a leak is traced."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from transfer_support import COMMON, Scenario

from tracktwo.practice.errors import Conflict, InvalidInput
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions, marking, render, trace
from tracktwo.transfer.actions import IssuedCopy

pytestmark = pytest.mark.django_db


def _issue(scenario: Scenario) -> list[IssuedCopy]:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    copies = actions.issue(
        brief, scenario.facilitator, [(u, f"Desk {i}") for i, u in enumerate(scenario.liaisons)]
    )
    for copy in copies:
        actions.open_link(copy.link_token, copy.recipient.user)
    return copies


def _body(copy: IssuedCopy, fmt: str) -> bytes:
    return actions.render_copy(copy.recipient, fmt, copy.recipient.user).body


def _unmarked(text: str, code: str) -> str:
    return marking.strip_zero_width(text).replace(code, "T2-XXXX-XXXX")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_it_marks_copies_that_differ_only_in_the_code(scenario: Scenario, fmt: str) -> None:
    first, second = _issue(scenario)
    a, b = _body(first, fmt).decode(), _body(second, fmt).decode()
    assert a != b
    assert f"ref. {first.recipient.code}" in a and f"ref. {second.recipient.code}" in b
    assert second.recipient.code not in a
    assert marking.read_zero_width(a) == first.recipient.code
    assert marking.read_zero_width(b) == second.recipient.code
    assert _unmarked(a, first.recipient.code) == _unmarked(b, second.recipient.code)
    assert COMMON in a


def test_it_marks_pdf_copies_in_text_metadata_and_layout(scenario: Scenario) -> None:
    first, second = _issue(scenario)
    a, b = _body(first, "pdf"), _body(second, "pdf")
    text_a, text_b = _pdf_text(a), _pdf_text(b)
    assert first.recipient.code in text_a and second.recipient.code not in text_a
    assert _unmarked(text_a, first.recipient.code) == _unmarked(text_b, second.recipient.code)
    for data, copy in ((a, first), (b, second)):
        evidence = marking.read_pdf(data, list(render.HEADINGS))
        assert evidence.keywords == copy.recipient.code
        assert marking.position_from_pdf(evidence, list(render.HEADINGS)) == copy.recipient.position


def test_it_freezes_the_issued_content(scenario: Scenario) -> None:
    from tracktwo.dialogues import actions as dialogue_actions

    first, _ = _issue(scenario)
    before = _body(first, "md")
    dialogue_actions.write_statement(
        scenario.dialogue,
        "A statement written after the brief was issued.",
        user=scenario.facilitator,
    )
    for person in scenario.participants:
        dialogue_actions.cast_vote(person, scenario.statements["COMMON"].pk, -1)
    assert _body(first, "md") == before
    with pytest.raises(Conflict, match="frozen"):
        actions.update_narrative(first.recipient.brief, scenario.facilitator, proposals="late")
    draft = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    assert draft.pk != first.recipient.brief_id


def test_it_stores_the_brief_and_its_recipients_sealed(scenario: Scenario) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    actions.update_narrative(brief, scenario.facilitator, proposals="A SEALED-PROPOSAL-42 idea.")
    (copy, _other) = actions.issue(
        brief,
        scenario.facilitator,
        [(scenario.liaisons[0], "SEALED-RECIPIENT-LABEL"), (scenario.liaisons[1], "")],
    )
    brief.refresh_from_db()
    raw = bytes(brief.narrative_sealed) + bytes(brief.frozen_sealed)
    raw += bytes(copy.recipient.label_sealed)
    assert b"SEALED-PROPOSAL-42" not in raw and b"SEALED-RECIPIENT-LABEL" not in raw
    assert COMMON.encode() not in raw
    assert copy.recipient.label.read(box_for(scenario.initiative.pk)) == "SEALED-RECIPIENT-LABEL"
    assert copy.link_token not in copy.recipient.link_digest


def test_it_sends_copies_to_liaisons_only(scenario: Scenario) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    with pytest.raises(InvalidInput, match="not a Track One liaison"):
        actions.issue(brief, scenario.facilitator, [(scenario.observer, "")])
    with pytest.raises(InvalidInput, match="at least one"):
        actions.issue(brief, scenario.facilitator, [])
    with pytest.raises(InvalidInput, match="appears twice"):
        actions.issue(
            brief, scenario.facilitator, [(scenario.liaisons[0], ""), (scenario.liaisons[0], "")]
        )
    with pytest.raises(InvalidInput, match="between 1 and 90"):
        actions.issue(brief, scenario.facilitator, [(scenario.liaisons[0], "")], link_days=365)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_it_traces_a_leaked_copy_to_its_recipient(scenario: Scenario, fmt: str) -> None:
    _first, second = _issue(scenario)
    found = trace.trace(_body(second, fmt), scenario.convener)
    assert found.recipient is not None and found.recipient.pk == second.recipient.pk
    assert not found.conflicting
    event = AuditEvent.objects.filter(action="brief.traced").latest("id")
    assert event.actor_id == str(scenario.convener.pk)
    assert event.details["found"] is True and event.details["copy"] == second.recipient.position


def test_it_traces_pasted_text_without_the_visible_code(scenario: Scenario) -> None:
    _first, second = _issue(scenario)
    text = _body(second, "md").decode().replace(second.recipient.code, "[cut]")
    found = trace.trace(text.encode(), scenario.convener)
    assert found.recipient is not None and found.recipient.pk == second.recipient.pk
    assert [method for method, _ in found.evidence] == ["zero-width"]


def test_it_traces_a_pdf_by_its_layout_alone(scenario: Scenario) -> None:
    _first, second = _issue(scenario)
    frozen = second.recipient.brief.frozen.read(box_for(scenario.initiative.pk))
    # What is left of copy 2 once someone strips its code from the text and metadata:
    stripped = render.pdf(
        marking.apply(frozen["html"], None, line="(cut)"), position=second.recipient.position
    )
    found = trace.trace(stripped, scenario.convener)
    assert found.recipient is not None and found.recipient.pk == second.recipient.pk
    assert [method for method, _ in found.evidence] == ["pdf-layout"]


def test_it_reports_marks_that_disagree(scenario: Scenario) -> None:
    first, second = _issue(scenario)
    pdf = _body(second, "pdf")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Keywords": first.recipient.code})
    out = io.BytesIO()
    writer.write(out)
    found = trace.trace(out.getvalue(), scenario.convener)
    assert found.conflicting and found.recipient is None


def test_it_names_nobody_for_an_unmarked_text_or_another_conveners_copy(
    scenario: Scenario,
) -> None:
    from transfer_support import make_scenario

    _first, second = _issue(scenario)
    assert trace.trace(b"Some text with no mark at all.", scenario.convener).recipient is None
    other = make_scenario()
    assert trace.trace(_body(second, "md"), other.convener).recipient is None
    assert trace.trace(_body(second, "md"), None).recipient is not None  # the operator


def test_it_reads_codes_as_people_type_them() -> None:
    assert marking.normalise_code("ref t2-7kq4 m2xd.") == "T2-7KQ4-M2XD"
    assert marking.normalise_code("T2-7KQ4-M2XO") == "T2-7KQ4-M2X0"
    assert marking.normalise_code("no code here") is None
    code = marking.new_code()
    assert marking.read_zero_width("x" + marking.zero_width(code) + "y") == code
    assert marking.read_zero_width(marking.zero_width(code)[:-3]) is None
