"""A brief as Markdown, from the same view as its HTML (:func:`tracktwo.transfer.render.view`).

The recipient-mark placeholders of :mod:`tracktwo.transfer.marking` stay in; issuing fills
them for each copy. Every piece of text from the brief is escaped for Markdown.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracktwo.transfer import marking
from tracktwo.transfer.content import BriefContent
from tracktwo.transfer.render import footer, headings, view


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def _iso(text: str) -> str:
    """User text escaped and isolated (FSI ... PDI): its direction never spills over the
    punctuation and text around it, in a left-to-right or right-to-left reader."""
    return "\u2068" + _md_escape(text) + "\u2069"


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows]
    return lines


def markdown(c: BriefContent) -> str:
    """The Markdown document, placeholders in.

    Kept in one piece: the document top to bottom in reading order, as the HTML template has it.
    """
    v = view(c)
    inv = marking.INVISIBLE
    heading = headings()
    out = [
        f"**{_('NON-PAPER')}** · {v['dated']}",
        "",
        f"_{marking.VISIBLE}_",
        "",
        f"# \u2068{_md_escape(v['title_first'])}{inv}{_md_escape(v['title_rest'])}\u2069",
        "",
        f"{v['scope']} · {v['format_name']} · {v['regime_name']}",
        "",
        f"## {heading[0]}{inv}",
        "",
        *[f"- {_md_escape(point)}" for point in v["key_points"]],
        "",
        f"## {heading[1]}{inv}",
        "",
    ]
    if v["context"]:
        out += [_iso(v["context"]), ""]
    facts = [
        (_("Format"), v["format_name"]),
        (_("Agenda"), v["agenda"]),
        (_("Confidentiality"), v["regime_name"]),
        *([(_("Standing"), v["standing"])] if v["standing"] else []),
        (_("Dates"), v["dates"]),
        (_("Sessions"), str(v["n_sessions"])),
        (_("Participants"), v["total_participants"]),
        (_("Statements voted on"), str(v["n_statements"])),
    ]
    out += [f"- **{name}:** {_md_escape(value)}" for name, value in facts] + [""]
    table = v["table"]
    out += _md_table(
        [_("Track"), *table.column_labels],
        [[row["label"], *row["cells"]] for row in v["table_rows"]],
    )
    caption = _("Participants per track and party.")
    out += ["", f"_{caption} {v['suppression_note']}_", ""]
    for section in v["sections"]:
        out += [f"## {section['heading']}{inv}", "", section["intro"], ""]
        if not section["items"]:
            out += [f"_{section['empty']}_", ""]
        for item in section["items"]:
            out += [f"**{item['label']}.** “{_iso(item['text'])}”", ""]
            out += _md_table(
                [
                    _("Side"),
                    _("Agree"),
                    _("%(level)s%% interval") % {"level": v["level"]},
                    _("Disagree"),
                    _("Votes"),
                ],
                [
                    [s["side"], s["share"], s["interval"], s["disagree"], s["n"]]
                    for s in item["sides"]
                ],
            )
            out.append("")
        if section["note"]:
            out += [f"_{_md_escape(section['note'])}_", ""]
        if section.get("figure"):
            out += [f"![{section['figure_alt']}]({section['figure']})", ""]
    out += [f"## {heading[5]}{inv}", "", v["groups_intro"], ""]
    if v["map"]:
        alt = _("Opinion map: participants as unlabelled dots, coloured by opinion group.")
        out += [f"![{alt}]({v['map']})", ""]
    for group in v["groups"]:
        name = _("Group %(letter)s") % {"letter": group["label"]}
        out += [f"### {name} ({group['size']})", ""]
        out += [f"- “{_iso(s['text'])}” {s['note']}" for s in group["statements"]]
        if not group["statements"]:
            out.append(f"_{_('No statement is reported for this group.')}_")
        out.append("")
    for phase in v["phases"]:
        title = _("What emerged in %(phase)s") % {"phase": _md_escape(phase["name"])}
        out += [f"### {title}", "", phase["summary"], ""]
        out += [f"- {label}: “{_iso(text)}”" for label, text in phase["items"]]
        out += [""] if phase["items"] else []
    for mark, key, empty in (
        (6, "proposals", _("No proposals recorded.")),
        (7, "next_steps", _("No next steps recorded.")),
    ):
        body = _md_escape(v[key]) if v[key] else f"_{empty}_"
        out += [f"## {heading[mark]}{inv}", "", body, ""]
    out += [f"## {heading[8]}{inv}", ""]
    out += [line for text in v["method"] for line in (_md_escape(text), "")]
    if v["method_note"]:
        out += [_md_escape(v["method_note"]), ""]
    out += ["---", "", f"_{footer()}_", "", f"_{marking.VISIBLE}_{inv}", ""]
    return "\n".join(out)
