"""A brief renders as Markdown, HTML and a real PDF; it reports the planted findings and
never a participant's handle or name."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from transfer_support import (
    CANARY_HANDLES,
    CANARY_NAMES,
    COMMON,
    DIVIDE,
    REJECT,
    Scenario,
)

from tracktwo.transfer import actions

pytestmark = pytest.mark.django_db

CANARIES = (*CANARY_HANDLES, *CANARY_NAMES, "CANARY")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def test_it_renders_markdown_with_every_section(scenario: Scenario) -> None:
    rendered = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator)
    text = rendered.body.decode()
    assert rendered.content_type.startswith("text/markdown")
    for heading in (
        "Summary",
        "Context and process",
        "Common ground across sides",
        "Shared rejections",
        "Remaining divides",
        "Group viewpoints",
        "Proposals",
        "Next steps",
        "Method and its limits",
    ):
        assert f"## {heading}" in text
    common = text.index("## Common ground across sides")
    rejections = text.index("## Shared rejections")
    divides = text.index("## Remaining divides")
    assert text.index(f"**C1.** “\u2068{COMMON}\u2069”") > common  # after the summary's mention
    assert rejections < text.index(f"**R1.** “\u2068{REJECT}\u2069”") < divides
    assert divides < text.index(f"**D1.** “\u2068{DIVIDE}\u2069”")
    assert "| Upstream | 100% | 75%–100% |" in text  # per-side support with its 90% interval
    assert "DRAFT - not for distribution" in text
    assert not any(canary in text for canary in CANARIES)


def test_it_renders_self_contained_html(scenario: Scenario) -> None:
    html = actions.render_draft(scenario.dialogue, None, "html", scenario.facilitator).body.decode()
    assert html.startswith("<!doctype html>")
    assert COMMON in html and REJECT in html and DIVIDE in html
    sources = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert sources, "the figures are embedded"
    # the figures, and an empty icon (so a browser asks for no favicon)
    assert all(s.startswith("data:image/svg+xml;base64,") or s == "data:," for s in sources)
    assert "http://" not in html and "https://" not in html
    assert not any(canary in html for canary in CANARIES)


def test_it_renders_a_real_pdf_without_canaries(scenario: Scenario) -> None:
    rendered = actions.render_draft(scenario.dialogue, None, "pdf", scenario.facilitator)
    assert rendered.body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(rendered.body))
    assert len(reader.pages) >= 2
    text = _squeeze(_pdf_text(rendered.body))
    for statement in (COMMON, REJECT, DIVIDE):
        assert statement in text
    assert "Common ground across sides" in text
    assert not any(canary in text for canary in CANARIES)
    assert b"CANARY" not in rendered.body


def test_it_reads_the_same_with_pdftotext(
    scenario: Scenario, require_system: Callable[[bool, str], None]
) -> None:
    require_system(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is missing")
    pdf = actions.render_draft(scenario.dialogue, None, "pdf", scenario.facilitator).body
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    text = _squeeze(out)
    assert COMMON in text and REJECT in text
    assert "CANARY" not in text


def test_it_scrubs_handles_typed_into_statements_and_narrative(scenario: Scenario) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    actions.update_narrative(
        brief,
        scenario.facilitator,
        context=f"We thank {CANARY_HANDLES[3].lower()} and {CANARY_NAMES[1]} for hosting us.",
        proposals="A joint river commission.",
    )
    html = actions.render_draft(scenario.dialogue, None, "html", scenario.facilitator).body.decode()
    assert "We thank [a participant] and [a participant] for hosting us." in html
    assert "As [a participant] put it, joint monitoring" in html
    assert "A joint river commission." in html
    markdown = actions.render_draft(scenario.dialogue, None, "md", scenario.facilitator).body
    for text in (html, markdown.decode()):
        assert not any(canary.casefold() in text.casefold() for canary in CANARIES)


def test_it_renders_a_single_session(scenario: Scenario) -> None:
    from tracktwo.dialogues import actions as dialogue_actions

    second = dialogue_actions.start_session(scenario.dialogue, scenario.facilitator)
    dialogue_actions.write_statement(
        scenario.dialogue,
        "A second meeting should be held in a neutral city.",
        user=scenario.facilitator,
    )
    first = actions.render_draft(scenario.dialogue, scenario.session, "md", scenario.facilitator)
    later = actions.render_draft(scenario.dialogue, second, "md", scenario.facilitator)
    assert "Session 1 ·" in first.body.decode() and COMMON in first.body.decode()
    assert "Session 2 ·" in later.body.decode() and COMMON not in later.body.decode()
    assert "No votes have been cast yet." in later.body.decode()
    assert first.filename == f"brief-dialogue-{scenario.dialogue.pk}-session-1-draft.md"


def test_it_withholds_the_dates_of_a_secret_meeting(db: None) -> None:
    from transfer_support import make_scenario

    secret = make_scenario(confidentiality="secret")
    text = actions.render_draft(secret.dialogue, None, "md", secret.facilitator).body.decode()
    assert "**Dates:** withheld (secret meeting)" in text
    assert "Secret meeting" in text
