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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracktwo.insight.suppression import band_text
from tracktwo.transfer import marking
from tracktwo.transfer.cells import SUPPRESSED
from tracktwo.transfer.content import BriefContent
from tracktwo.transfer.findings import Finding, GroupStatement, coverage_note

HEADINGS = (
    "Summary",
    "Context and process",
    "Common ground across sides",
    "Shared rejections",
    "Remaining divides",
    "Group viewpoints",
    "Proposals",
    "Next steps",
    "Method and its limits",
)
FOOTER = (
    "Non-attributable. Nothing in this paper names or identifies any participant; it reports "
    "aggregates only, and counts below the small-cell threshold are withheld. Not for "
    "onward distribution without the conveners' consent."
)


@cache
def stylesheet() -> str:
    return render_to_string("transfer/brief.css")


def style_hash() -> str:
    """The CSP source that allows the HTML brief's inline stylesheet (``'sha256-...'``)."""
    digest = hashlib.sha256(stylesheet().encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


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
                    "share": _pct(side.share),
                    "interval": f"{_pct(side.low)}–{_pct(side.high)}",
                    "disagree": _pct(side.disagree_share),
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


def _withheld_note(items: tuple[Finding, ...], kind: str, c: BriefContent) -> str:
    if not any(side.withheld for item in items for side in item.sides):
        return ""
    bands = _(
        "“–”, or a band such as “at least 4 in 5 agree”: fewer than %(t)d on that side voted "
        "one way or another, so its counts are not shown; a band is given only where it "
        "cannot reveal anyone's vote."
    ) % {"t": c.threshold}
    if kind == "D":
        return bands
    what = _("agreeing") if kind == "C" else _("disagreeing")
    return (
        bands
        + " "
        + _(
            "†: the statement is listed because that side's %(level)d%% interval on the share "
            "%(what)s lies at or above %(threshold)d%%."
        )
        % {
            "level": round(c.findings.level * 100),
            "what": what,
            "threshold": round(c.findings.threshold * 100),
        }
    )


def _data_uri(svg: str) -> str:
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _key_points(c: BriefContent) -> list[str]:
    """The summary's points; a count is stated only for statements the brief then backs
    with a figure or a band on every side (never "3 statements divide" with nothing shown)."""
    f = c.findings
    sides = _(" and ").join(f.sides) if f.sides else ""
    common, rejected, divides = (
        _backed(f.common_ground),
        _backed(f.shared_rejection),
        _backed(f.divides),
    )
    points = []
    if common:
        points.append(
            ngettext(
                "%(n)d statement found support on every side (%(sides)s): “%(text)s”",
                "%(n)d statements found support on every side (%(sides)s); strongest: “%(text)s”",
                len(common),
            )
            % {"n": len(common), "sides": sides, "text": common[0].text}
        )
    else:
        points.append(_("No statement found clear support on every side."))
    if rejected:
        points.append(
            ngettext(
                "%(n)d statement was rejected on every side.",
                "%(n)d statements were rejected on every side.",
                len(rejected),
            )
            % {"n": len(rejected)}
        )
    if divides:
        points.append(
            ngettext(
                "%(n)d statement divides the sides: “%(text)s”",
                "%(n)d statements divide the sides; widest gap: “%(text)s”",
                len(divides),
            )
            % {"n": len(divides), "text": divides[0].text}
        )
    if c.narrative.get("proposals"):
        points.append(_("The facilitators' proposals and next steps are set out below."))
    return points


def _backed(items: tuple[Finding, ...]) -> list[Finding]:
    return [item for item in items if all(side.backed for side in item.sides)]


def _method(c: BriefContent) -> list[str]:
    f = c.findings
    level = round(f.level * 100)
    if c.total_participants != SUPPRESSED:
        who = f"{c.total_participants} participants"
    elif c.n_participants < c.threshold:
        who = f"fewer than {c.threshold} participants"
    else:
        who = "participants (number withheld to protect small counts)"
    lines = [
        f"Who took part: {who} from {len(c.participants.column_labels) - 1} declared sides; "
        f"{f.n_votes} votes counted on {f.n_statements} statements. Shares are computed "
        "within each side, so a larger side does not outweigh a smaller one.",
        coverage_note(f),
        f"Common ground means that on every side the lower end of the {level}% interval "
        f"(Wilson) of the share agreeing is at least {round(f.threshold * 100)}%, and that each "
        f"side cast at least {f.min_votes} votes on the statement; shared rejection is the "
        "same for disagreeing. A divide means the most and least supportive sides' intervals "
        "do not overlap. Passes count as votes, so silence lowers a share.",
        f"Opinion groups are found from votes alone (as in Pol.is), not from sides. Groups "
        f"smaller than {c.threshold}, and counts below {c.threshold}, are not reported.",
    ]
    if f.small_groups:
        lines.append(
            ngettext(
                "%(n)d opinion group too small to report is left out.",
                "%(n)d opinion groups too small to report are left out.",
                f.small_groups,
            )
            % {"n": f.small_groups}
        )
    lines.extend(f.notes)
    return lines


def _group_note(s: GroupStatement) -> str:
    verb = "agree" if s.direction == "agree" else "disagree"
    if s.share is None:
        return f"(the group {verb}s more than the others do)"
    return f"({_pct(s.share)} of the group {verb}; more than elsewhere)"


def view(c: BriefContent) -> dict[str, Any]:
    """The content as display strings, shared by the Markdown and HTML renderers.

    Kept in one piece: one flat mapping that the brief's template reads key by key, in the
    document's order.
    """
    f = c.findings
    title_words = c.title.split(" ", 1)
    table = c.participants
    note = (
        f"“{SUPPRESSED}”: withheld (fewer than {c.threshold}, or withheld so that totals do "
        "not reveal a small count)."
        if table.any_suppressed
        else ""
    )
    level = round(f.level * 100)
    sections = [
        {
            "mark": 2,
            "heading": HEADINGS[2],
            "prefix": "C",
            "intro": f"Statements a majority on every side agreed with (each side's {level}% "
            f"interval at or above {round(f.threshold * 100)}%), strongest first.",
            "items": _items("C", f.common_ground, f.threshold),
            "note": _withheld_note(f.common_ground, "C", c),
            "empty": "None found.",
        },
        {
            "mark": 3,
            "heading": HEADINGS[3],
            "prefix": "R",
            "intro": "Statements a majority on every side disagreed with.",
            "items": _items("R", f.shared_rejection, f.threshold),
            "note": _withheld_note(f.shared_rejection, "R", c),
            "empty": "None found.",
        },
        {
            "mark": 4,
            "heading": HEADINGS[4],
            "prefix": "D",
            "intro": "Statements on which the sides' support differs beyond chance, widest "
            "gap first.",
            "items": _items("D", f.divides, f.threshold),
            "note": _withheld_note(f.divides, "D", c),
            "empty": "None found.",
            "figure": _data_uri(c.bars_svg),
            "figure_alt": "Bar chart of each side's agreement with statements C1 onwards and "
            "D1 onwards, with intervals.",
            "figure_caption": f"Per-side support for common ground (C) and for the divides "
            f"(D) whose counts can be shown: share agreeing, with {level}% interval; the "
            f"dotted line marks {round(f.threshold * 100)}%.",
        },
    ]
    groups = [
        {
            "label": g.label,
            "size": f"{g.size} participants",
            "statements": [{"text": s.text, "note": _group_note(s)} for s in g.statements],
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
        "key_points": _key_points(c),
        "context": c.narrative.get("context", ""),
        "proposals": c.narrative.get("proposals", ""),
        "next_steps": c.narrative.get("next_steps", ""),
        "method_note": c.narrative.get("method_note", ""),
        "level": level,
        "sections": sections,
        "groups_intro": (
            ngettext(
                "%(n)d opinion group formed from the votes. The statements that most set it apart:",
                "%(n)d opinion groups formed from the votes. For each, the statements that "
                "most set it apart.",
                len(groups),
            )
            % {"n": len(groups)}
            if groups
            else _("No opinion group large enough to report formed from the votes.")
        ),
        "groups": groups,
        "map": _data_uri(c.map_svg),
        "method": _method(c),
        "footer": FOOTER,
    }


def html(c: BriefContent) -> str:
    """The HTML document, placeholders in."""
    return render_to_string(
        "transfer/brief_document.html",
        {
            "v": view(c),
            "css": stylesheet(),
            "headings": HEADINGS,
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
