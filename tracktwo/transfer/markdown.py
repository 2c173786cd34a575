"""A brief as Markdown, from the same view as its HTML (:func:`tracktwo.transfer.render.view`).

The recipient-mark placeholders of :mod:`tracktwo.transfer.marking` stay in; issuing fills
them for each copy. Every piece of text from the brief is escaped for Markdown.
"""

from __future__ import annotations

from tracktwo.transfer import marking
from tracktwo.transfer.content import BriefContent
from tracktwo.transfer.render import FOOTER, HEADINGS, view


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
    out = [
        f"**NON-PAPER** · {v['dated']}",
        "",
        f"_{marking.VISIBLE}_",
        "",
        f"# \u2068{_md_escape(v['title_first'])}{inv}{_md_escape(v['title_rest'])}\u2069",
        "",
        f"{v['scope']} · {v['format_name']} · {v['regime_name']}",
        "",
        f"## {HEADINGS[0]}{inv}",
        "",
        *[f"- {_md_escape(point)}" for point in v["key_points"]],
        "",
        f"## {HEADINGS[1]}{inv}",
        "",
    ]
    if v["context"]:
        out += [_iso(v["context"]), ""]
    facts = [
        ("Format", v["format_name"]),
        ("Agenda", v["agenda"]),
        ("Confidentiality", v["regime_name"]),
        ("Dates", v["dates"]),
        ("Sessions", str(v["n_sessions"])),
        ("Participants", v["total_participants"]),
        ("Statements voted on", str(v["n_statements"])),
    ]
    out += [f"- **{name}:** {_md_escape(value)}" for name, value in facts] + [""]
    table = v["table"]
    out += _md_table(
        ["Track", *table.column_labels],
        [[row["label"], *row["cells"]] for row in v["table_rows"]],
    )
    out += ["", f"_Participants per track and party. {v['suppression_note']}_", ""]
    for section in v["sections"]:
        out += [f"## {section['heading']}{inv}", "", section["intro"], ""]
        if not section["items"]:
            out += [f"_{section['empty']}_", ""]
        for item in section["items"]:
            out += [f"**{item['label']}.** “{_iso(item['text'])}”", ""]
            out += _md_table(
                ["Side", "Agree", f"{v['level']}% interval", "Disagree", "Votes"],
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
    out += [f"## {HEADINGS[5]}{inv}", "", v["groups_intro"], ""]
    if v["map"]:
        out += [f"![Opinion map: unlabelled dots coloured by opinion group]({v['map']})", ""]
    for group in v["groups"]:
        out += [f"### Group {group['label']} ({group['size']})", ""]
        out += [f"- “{_iso(s['text'])}” {s['note']}" for s in group["statements"]]
        if not group["statements"]:
            out.append("_No statement is reported for this group._")
        out.append("")
    for mark, key, empty in ((6, "proposals", "proposals"), (7, "next_steps", "next steps")):
        body = _md_escape(v[key]) if v[key] else f"_No {empty} recorded._"
        out += [f"## {HEADINGS[mark]}{inv}", "", body, ""]
    out += [f"## {HEADINGS[8]}{inv}", ""]
    out += [line for text in v["method"] for line in (_md_escape(text), "")]
    if v["method_note"]:
        out += [_md_escape(v["method_note"]), ""]
    out += ["---", "", f"_{FOOTER}_", "", f"_{marking.VISIBLE}_{inv}", ""]
    return "\n".join(out)
