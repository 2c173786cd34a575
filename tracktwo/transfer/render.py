"""A brief's content as HTML and PDF (Markdown: :mod:`tracktwo.transfer.markdown`).

:func:`html` (and :func:`tracktwo.transfer.markdown.markdown`) render a :class:`~tracktwo.transfer.content.BriefContent`
with the recipient-mark placeholders of :mod:`tracktwo.transfer.marking` still in;
:func:`tracktwo.transfer.marking.apply` fills them (a recipient's code, or the draft
line). :func:`pdf` turns one filled HTML copy into a PDF with WeasyPrint, adding the
code to the footer of every page, the document's keywords and the headings' layout.

The HTML is one self-contained file: its stylesheet is inline and the figures are
``data:`` URIs. WeasyPrint renders it with local fonts only (DejaVu) and a URL fetcher
that refuses everything but ``data:`` URIs, so rendering a brief never reaches out.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import get_language, get_language_bidi, gettext_noop, ngettext
from django.utils.translation import gettext as _

from tracktwo.insight.suppression import band_text
from tracktwo.transfer import marking
from tracktwo.transfer.cells import SUPPRESSED
from tracktwo.transfer.content import BriefContent
from tracktwo.transfer.findings import Finding
from tracktwo.transfer.prose import group_note, key_points, method, pct, withheld_note

# In English here (the leak trace reads English briefs by them); headings() translates.
HEADINGS = (
    gettext_noop("Summary"),
    gettext_noop("Context and process"),
    gettext_noop("Common ground across sides"),
    gettext_noop("Shared rejections"),
    gettext_noop("Remaining divides"),
    gettext_noop("Group viewpoints"),
    gettext_noop("Proposals"),
    gettext_noop("Next steps"),
    gettext_noop("Method and its limits"),
)
FOOTER = gettext_noop(
    "Non-attributable. Nothing in this paper names or identifies any participant; it reports "
    "aggregates only, and counts below the small-cell threshold are withheld. Not for "
    "onward distribution without the conveners' consent."
)


def headings() -> tuple[str, ...]:
    """The section headings in the active language (a brief is rendered in one)."""
    return tuple(_(heading) for heading in HEADINGS)


def footer() -> str:
    return _(FOOTER)


@cache
def stylesheet() -> str:
    return render_to_string("transfer/brief.css")


def style_hash() -> str:
    """The CSP source that allows the HTML brief's inline stylesheet (``'sha256-...'``)."""
    digest = hashlib.sha256(stylesheet().encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _sides(item: Finding, kind: str, threshold: float) -> list[dict[str, str]]:
    """Table rows: each side, then everyone. A withheld side shows its coarse band when one
    may be told ("at least 4 in 5 agree", see ``insight.suppression.coarse_band``), else
    only what the listing itself implies: on common ground its agree share, on a shared
    rejection its disagree share, is at least the threshold."""
    rows = []
    floor = f"≥ {round(threshold * 100)}%†"
    for side in (*item.sides, *([item.overall] if item.overall is not None else [])):
        if side.share is not None:
            rows.append(
                {
                    "side": side.side,
                    "share": pct(side.share),
                    "interval": f"{pct(side.low)}–{pct(side.high)}",
                    "disagree": pct(side.disagree_share),
                    "n": str(side.n),
                }
            )
            continue
        band = band_text(side.band) if side.band is not None else ""
        rows.append(
            {
                "side": side.side,
                "share": band or (floor if kind == "C" else "–"),
                "interval": "–",
                "disagree": floor if kind == "R" and not band else "–",
                "n": "–",
            }
        )
    return rows


def _items(prefix: str, items: tuple[Finding, ...], threshold: float) -> list[dict[str, Any]]:
    return [
        {"label": f"{prefix}{i + 1}", "text": item.text, "sides": _sides(item, prefix, threshold)}
        for i, item in enumerate(items)
    ]


def _data_uri(svg: str) -> str:
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def view(c: BriefContent) -> dict[str, Any]:
    """The content as display strings, shared by the Markdown and HTML renderers.

    Kept in one piece: one flat mapping that the brief's template reads key by key, in the
    document's order.
    """
    f = c.findings
    title_words = c.title.split(" ", 1)
    table = c.participants
    note = (
        _(
            "“%(mark)s”: withheld (fewer than %(k)s, or withheld so that totals do not reveal a "
            "small count)."
        )
        % {"mark": SUPPRESSED, "k": c.threshold}
        if table.any_suppressed
        else ""
    )
    level = round(f.level * 100)
    heading = headings()
    sections = [
        {
            "mark": 2,
            "heading": heading[2],
            "prefix": "C",
            "intro": _(
                "Statements a majority on every side agreed with (each side's %(level)s%% "
                "interval at or above %(floor)s%%), strongest first."
            )
            % {"level": level, "floor": round(f.threshold * 100)},
            "items": _items("C", f.common_ground, f.threshold),
            "note": withheld_note(f.common_ground, "C", c),
            "empty": _("None found."),
        },
        {
            "mark": 3,
            "heading": heading[3],
            "prefix": "R",
            "intro": _("Statements a majority on every side disagreed with."),
            "items": _items("R", f.shared_rejection, f.threshold),
            "note": withheld_note(f.shared_rejection, "R", c),
            "empty": _("None found."),
        },
        {
            "mark": 4,
            "heading": heading[4],
            "prefix": "D",
            "intro": _(
                "Statements on which the sides' support differs beyond chance, widest gap first."
            ),
            "items": _items("D", f.divides, f.threshold),
            "note": withheld_note(f.divides, "D", c),
            "empty": _("None found."),
            "figure": _data_uri(c.bars_svg),
            "figure_alt": _(
                "Bar chart of each side's agreement with statements C1 onwards and D1 onwards, "
                "with intervals."
            ),
            "figure_caption": _(
                "Per-side support for common ground (C) and for the divides (D) whose counts can "
                "be shown: share agreeing, with %(level)s%% interval; the dotted line marks "
                "%(floor)s%%."
            )
            % {"level": level, "floor": round(f.threshold * 100)},
        },
    ]
    groups = [
        {
            "label": g.label,
            "size": _("%(n)s participants") % {"n": g.size},
            "statements": [{"text": s.text, "note": group_note(s)} for s in g.statements],
        }
        for g in f.groups
    ]
    return {
        "title": c.title,
        "title_first": title_words[0],
        "title_rest": (" " + title_words[1]) if len(title_words) > 1 else "",
        "dated": c.dated.strftime("%d %B %Y"),
        "scope": c.scope,
        "format_name": c.format_name,
        "regime_name": c.regime_name,
        "standing": c.standing,
        "phases": [
            {"name": p.name, "summary": p.summary, "items": list(p.items)} for p in c.phases
        ],
        "agenda": c.agenda,
        "dates": c.dates,
        "n_sessions": c.n_sessions,
        "total_participants": c.total_participants,
        "n_statements": f.n_statements,
        "table": table,
        "table_rows": [
            {"label": label, "cells": cells}
            for label, cells in zip(table.row_labels, table.cells, strict=True)
        ],
        "suppression_note": note,
        "key_points": key_points(c),
        "context": c.narrative.get("context", ""),
        "proposals": c.narrative.get("proposals", ""),
        "next_steps": c.narrative.get("next_steps", ""),
        "method_note": c.narrative.get("method_note", ""),
        "level": level,
        "sections": sections,
        "groups_intro": (
            ngettext(
                "%(n)s opinion group formed from the votes. For it, the statements that most "
                "set it apart.",
                "%(n)s opinion groups formed from the votes. For each, the statements that most "
                "set it apart.",
                len(groups),
            )
            % {"n": len(groups)}
            if groups
            else _("No opinion group large enough to report formed from the votes.")
        ),
        "groups": groups,
        "map": _data_uri(c.map_svg),
        "method": method(c),
        "footer": footer(),
    }


def html(c: BriefContent) -> str:
    """The HTML document, placeholders in."""
    return render_to_string(
        "transfer/brief_document.html",
        {
            "v": view(c),
            "css": stylesheet(),
            "headings": headings(),
            "language": get_language() or "en",
            "direction": "rtl" if get_language_bidi() else "ltr",
            "visible": marking.VISIBLE,
            "invisible": marking.INVISIBLE,
        },
    )


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):  # type: ignore[misc]
        """Fetches ``data:`` URIs (the figures) and nothing else."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError("a brief fetches no resources: only data: URIs are allowed")
            return super().fetch(url, headers)

    return DataOnly()


def _page_css(code: str | None, position: int | None, line: str) -> str:
    line = marking.visible_line(code) if code else line
    css = (
        "@page { size: A4; margin: 22mm 20mm 20mm 20mm;"
        f' @top-right {{ content: "{line}"; font-family: "DejaVu Sans"; font-size: 7.5pt;'
        " color: #555; }"
        ' @bottom-left { content: "Non-paper · non-attributable"; font-family: "DejaVu Sans";'
        " font-size: 7.5pt; color: #555; }"
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        ' font-family: "DejaVu Sans"; font-size: 7.5pt; color: #555; } }'
        " body { max-width: none; margin: 0; padding: 0; }"
    )
    if position is not None:
        css += "\n" + marking.layout_css(position)
    return css


def pdf(
    filled_html: str,
    *,
    code: str | None = None,
    position: int | None = None,
    line: str = marking.DRAFT_LINE,
) -> bytes:
    """A PDF of one filled copy (``code``/``position`` of its recipient; else ``line``)."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    document = HTML(string=filled_html, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=_page_css(code, position, line), url_fetcher=fetcher)]
    )
    document.metadata.title = "Non-paper"
    document.metadata.authors = []
    document.metadata.generator = ""
    document.metadata.keywords = [code] if code else []
    return bytes(document.write_pdf())
