"""User text is rendered with ``dir="auto"`` inside an isolate on pages and in briefs (HTML,
hence PDF), and between FSI and PDI in Markdown: an English statement keeps its punctuation
on the right side in an Arabic page, and Arabic text cannot reorder what follows it."""

from __future__ import annotations

import pytest
from web_support import World, signed_in

from tracktwo.dialogues import actions
from tracktwo.transfer import actions as transfer

pytestmark = pytest.mark.django_db

ARABIC = "\u0627\u0644\u0645\u0627\u0621 \u0644\u0644\u062c\u0645\u064a\u0639"  # water for all
ENGLISH = "Water first, then land?"


def test_it_isolates_statements_and_titles_on_pages(world: World) -> None:
    actions.write_statement(world.dialogue, ARABIC, user=world.facilitator)
    participant = world.join("Egret")
    vote = participant.get(f"/d/{world.dialogue.pk}/vote", HTTP_ACCEPT_LANGUAGE="ar")
    assert f'<bdi dir="auto">{ARABIC}</bdi>' in vote.content.decode()
    overview = signed_in(world.facilitator).get(f"/dialogues/{world.dialogue.pk}/")
    assert '<h1 dir="auto">Valley workshop</h1>' in overview.content.decode()
    home = signed_in(world.facilitator).get("/").content.decode()
    assert '<bdi dir="auto">Valley workshop</bdi>' in home or 'dir="auto">Valley workshop<' in home


def test_it_isolates_statements_in_briefs(world: World) -> None:
    actions.write_statement(world.dialogue, ENGLISH, user=world.facilitator)
    html = transfer.render_draft(world.dialogue, None, "html", world.facilitator).body.decode()
    assert '<h1 dir="auto">' in html  # the title (statements: bdi, once listed)
    markdown = transfer.render_draft(world.dialogue, None, "md", world.facilitator).body.decode()
    title_line = next(line for line in markdown.splitlines() if line.startswith("# "))
    assert "\u2068" in title_line and "\u2069" in title_line
