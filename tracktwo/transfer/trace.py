"""Naming the recipient of a leaked copy: read its marks, find the copy, audit the search.

:func:`trace` takes a leaked file (PDF, HTML or Markdown) or pasted text and reads
every mark :mod:`tracktwo.transfer.marking` puts in a copy: the PDF's keywords, the
visible reference, the zero-width runs and, in a PDF, the headings' indents (matched
against the issued briefs whose text the leak resembles). Marks that agree name one
copy; marks that disagree are reported as such (someone tampered with the copy).

A convener sees only copies of their own initiatives; the operator (command line)
sees all. Every search is audited, found or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracktwo.accounts.models import User
from tracktwo.initiatives.models import Membership
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import DataKeyUnavailable, box_for
from tracktwo.transfer import marking
from tracktwo.transfer.models import Brief, BriefRecipient, BriefState
from tracktwo.transfer.render import HEADINGS

MAX_TRACE_BYTES = 20 * 1024 * 1024
_WORD = re.compile(r"\w{4,}")
MIN_SIMILARITY = 0.5


@dataclass(frozen=True)
class Trace:
    """What a leaked copy says about itself, and whose copy it is (if anyone's)."""

    recipient: BriefRecipient | None
    evidence: tuple[tuple[str, str], ...]  # (method, code or "copy N of brief M")
    conflicting: bool

    @property
    def found(self) -> bool:
        return self.recipient is not None


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _similar_brief(text: str, briefs: list[Brief]) -> tuple[Brief, list[str]] | None:
    """The issued brief whose words the leaked text shares most (at least half of them)."""
    leaked = _words(text)
    best: tuple[float, Brief, list[str]] | None = None
    for brief in briefs:
        try:
            frozen = brief.frozen.read(box_for(brief.dialogue.initiative_id))
        except DataKeyUnavailable:
            continue
        words = _words(marking.strip_zero_width(frozen["markdown"]))
        if not words:
            continue
        score = len(words & leaked) / len(words)
        if best is None or score > best[0]:
            best = (score, brief, list(frozen.get("headings", [])))
    if best is None or best[0] < MIN_SIMILARITY:
        return None
    return best[1], best[2]


def _readable_briefs(by: User | None) -> list[Brief]:
    briefs = Brief.objects.filter(state=BriefState.ISSUED).select_related("dialogue")
    if by is not None:
        convened = Membership.objects.filter(
            user_id=by.pk, role=MemberRole.CONVENER, dialogue__isnull=True
        ).values("initiative_id")
        briefs = briefs.filter(dialogue__initiative_id__in=convened)
    return list(briefs.order_by("-issued_at"))


def read_marks(data: bytes, briefs: list[Brief]) -> list[tuple[str, str, BriefRecipient | None]]:
    """Every mark found in ``data``: (method, what it says, the copy it names or None)."""
    found: list[tuple[str, str, BriefRecipient | None]] = []
    allowed = {b.pk for b in briefs}

    def by_code(method: str, code: str | None) -> None:
        if code is None:
            return
        copy = BriefRecipient.objects.filter(code=code, brief_id__in=allowed).first()
        found.append((method, code, copy))

    if data.startswith(b"%PDF"):
        try:
            evidence = marking.read_pdf(data, list(HEADINGS))
        except Exception:
            return [("pdf", "unreadable PDF", None)]
        by_code("pdf-keywords", marking.normalise_code(evidence.keywords))
        by_code("visible-reference", marking.normalise_code(evidence.text))
        by_code("zero-width", marking.read_zero_width(evidence.text))
        match = _similar_brief(evidence.text, briefs)
        if match is not None:
            brief, headings = match
            position = marking.position_from_pdf(evidence, headings)
            if position is not None:
                copy = BriefRecipient.objects.filter(brief=brief, position=position).first()
                found.append(("pdf-layout", f"copy {position} of brief {brief.pk}", copy))
        return found
    text = data.decode("utf-8", errors="replace")
    by_code("zero-width", marking.read_zero_width(text))
    by_code("visible-reference", marking.normalise_code(marking.strip_zero_width(text)))
    return found


def trace(data: bytes, by: User | None) -> Trace:
    """Whose copy ``data`` is (``by`` None: the operator). Audited as ``brief.traced``."""
    if len(data) > MAX_TRACE_BYTES:
        raise InvalidInput("the file is larger than 20 MB", field="file")
    briefs = _readable_briefs(by)
    marks = read_marks(data, briefs)
    copies = {copy.pk: copy for _, _, copy in marks if copy is not None}
    conflicting = len(copies) > 1
    recipient = next(iter(copies.values())) if len(copies) == 1 else None
    initiative_id = recipient.brief.dialogue.initiative_id if recipient else None
    record(
        "brief.traced",
        actor=Actor.operator() if by is None else Actor.user(by),
        initiative_id=initiative_id,
        target_type="brief" if recipient else "",
        target_id=recipient.brief_id if recipient else "",
        details={
            "found": recipient is not None,
            "copy": recipient.position if recipient else None,
            "recipient": recipient.user_id if recipient else None,
            "conflicting": conflicting,
            "marks": len(marks),
        },
    )
    return Trace(recipient, tuple((method, what) for method, what, _ in marks), conflicting)
