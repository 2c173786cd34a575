"""A brief in one language: English, or any language the dialogue's statements have.

The brief's own wording comes from the catalogues (rendered with that language active);
the statements read in their usable translations into it (reviewed, or machine ones the
convener chose to show). A brief never names the language a statement came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import override

from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.dialogues.queries import translations
from tracktwo.practice.errors import InvalidInput
from tracktwo.safety.sealed import Box
from tracktwo.transfer import render
from tracktwo.transfer.content import BriefContent, build_content
from tracktwo.transfer.markdown import markdown as brief_markdown


@dataclass(frozen=True)
class InLanguage:
    """A brief's content and its two documents (placeholders in), in one language."""

    language: str
    content: BriefContent
    markdown: str
    html: str
    headings: tuple[str, ...]


def brief_language(dialogue: Dialogue, language: str | None) -> str:
    """``"en"``, or ``language`` if the dialogue's statements have it; else InvalidInput."""
    if language in (None, "", "en"):
        return "en"
    offered = translations.languages_of(dialogue)
    if language not in offered:
        raise InvalidInput(
            f"must be en or a language the statements have: {', '.join(offered)}",
            field="language",
        )
    return str(language)


def render_in(
    language: str | None,
    dialogue: Dialogue,
    session: Session | None,
    narrative: dict[str, str],
    box: Box,
) -> InLanguage:
    """Build and render the brief in ``language`` (checked by :func:`brief_language`)."""
    code = brief_language(dialogue, language)
    with override(code):
        content = build_content(
            dialogue, session, narrative, box, language=None if code == "en" else code
        )
        return InLanguage(
            code, content, brief_markdown(content), render.html(content), render.headings()
        )
