"""Recipient codes: how each copy of a brief is marked, and how a leaked copy is read back.

Every recipient of an issued brief gets a code such as ``T2-7KQ4-M2XD`` (40 random
bits in Crockford's base 32: no I, L, O or U). Each copy carries it four ways:

1. **Visible**: a distribution line under the title ("Restricted distribution - ref.
   T2-7KQ4-M2XD") and, in the PDF, in the footer of every page.
2. **Zero-width text** (Markdown and HTML): after the first word of the title, in each
   section heading and in the footer, a run ``U+2060`` + 45 characters + ``U+2060`` where
   ``U+200B`` is a 0 bit and ``U+200C`` a 1 bit: the code's 40 bits then a 5-bit
   checksum (sum of the 8 digits mod 32). It survives copying the text out of a browser
   or an editor; it shows nowhere.
3. **PDF metadata**: the code is the document's ``Keywords``.
4. **PDF layout**: each of the nine section headings is indented by 0 or 1 CSS pixel
   (0.75 pt, invisible to a reader): bits 1-8 are the copy's number among the brief's
   copies (1-255), bit 9 is their parity. This survives stripping the metadata and
   cutting off the footer; it is read back by comparing the headings' horizontal
   positions with the body text's margin.

The frozen rendering of an issued brief holds placeholders (private-use characters,
which :mod:`tracktwo.transfer.content` removes from every text that enters a brief);
:func:`apply` fills them for one recipient, so two copies differ only in the marks.
"""

from __future__ import annotations

import io
import re
import secrets
from collections import Counter
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VISIBLE = "\ue000"  # the distribution line's text
INVISIBLE = "\ue001"  # a zero-width run
ZERO, ONE, EDGE = "\u200b", "\u200c", "\u2060"
HEADING_MARKS = 9
MARK_INDENT_PX = 1
POSITION_BITS = 8
MAX_COPIES = 2**POSITION_BITS - 1
DRAFT_LINE = "DRAFT - not for distribution"
FILE_COPY_LINE = "Conveners' file copy - not for distribution"
CODE = re.compile(r"(?<![0-9A-Z])T2-([0-9A-Z]{4})-?([0-9A-Z]{4})(?![0-9A-Z])")
_RUN = re.compile(f"{EDGE}([{ZERO}{ONE}]{{45}}){EDGE}")
_ZERO_WIDTH = re.compile(f"[{ZERO}{ONE}{EDGE}]")


def new_code() -> str:
    digits = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"T2-{digits[:4]}-{digits[4:]}"


def normalise_code(text: str) -> str | None:
    """A code as issued from how it was read ("t2-7kq4 m2xd", O for 0...), or None."""
    match = CODE.search(text.upper().replace(" ", "-").replace("--", "-"))
    if match is None:
        return None
    digits = (match.group(1) + match.group(2)).translate(str.maketrans("OIL", "011"))
    if any(ch not in ALPHABET for ch in digits):
        return None
    return f"T2-{digits[:4]}-{digits[4:]}"


def _digits(code: str) -> list[int]:
    return [ALPHABET.index(ch) for ch in code.replace("T2-", "").replace("-", "")]


def zero_width(code: str) -> str:
    """The invisible run for ``code``."""
    values = _digits(code)
    values.append(sum(values) % 32)
    bits = "".join(f"{v:05b}" for v in values)
    return EDGE + bits.replace("0", ZERO).replace("1", ONE) + EDGE


def read_zero_width(text: str) -> str | None:
    """The code hidden in ``text`` by :func:`zero_width` (majority of valid runs), or None."""
    found: Counter[str] = Counter()
    for run in _RUN.findall(text):
        bits = run.replace(ZERO, "0").replace(ONE, "1")
        values = [int(bits[i : i + 5], 2) for i in range(0, 45, 5)]
        if sum(values[:8]) % 32 != values[8]:
            continue
        digits = "".join(ALPHABET[v] for v in values[:8])
        found[f"T2-{digits[:4]}-{digits[4:]}"] += 1
    return found.most_common(1)[0][0] if found else None


def strip_zero_width(text: str) -> str:
    return _ZERO_WIDTH.sub("", text)


def layout_bits(position: int) -> list[int]:
    """The nine heading indents (0/1) of copy number ``position`` (1-255)."""
    if not 1 <= position <= MAX_COPIES:
        raise ValueError(f"copy number {position} is outside 1-{MAX_COPIES}")
    bits = [(position >> i) & 1 for i in range(POSITION_BITS)]
    return [*bits, sum(bits) % 2]  # never all ones: eight ones have parity 0


def position_from_bits(bits: list[int]) -> int | None:
    if len(bits) != HEADING_MARKS or sum(bits[:POSITION_BITS]) % 2 != bits[-1]:
        return None
    position = sum(bit << i for i, bit in enumerate(bits[:POSITION_BITS]))
    return position or None


def layout_css(position: int) -> str:
    rules = [
        f'h2[data-mark="{i}"] {{ padding-inline-start: {MARK_INDENT_PX}px; }}'
        for i, bit in enumerate(layout_bits(position))
        if bit
    ]
    return "\n".join(rules)


def visible_line(code: str) -> str:
    return f"Restricted distribution - ref. {code}"


def apply(document: str, code: str | None, *, line: str = DRAFT_LINE) -> str:
    """Fill the placeholders: the recipient's marks, or ``line`` and no hidden run."""
    if code is None:
        return document.replace(VISIBLE, line).replace(INVISIBLE, "")
    return document.replace(VISIBLE, visible_line(code)).replace(INVISIBLE, zero_width(code))


@dataclass(frozen=True)
class PdfEvidence:
    text: str
    keywords: str
    heading_bits: dict[str, list[int]]  # heading text -> indent bit of each occurrence


def read_pdf(data: bytes, headings: list[str] | None = None) -> PdfEvidence:
    """Text, keywords and (for the given heading texts) indents of a PDF's headings."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    metadata = reader.metadata
    keywords = str(metadata.get("/Keywords", "") or "") if metadata is not None else ""
    chunks: list[tuple[str, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            chunks.append((text.strip(), float(cm[0]) * float(tm[4]) + float(cm[4])))

    parts = [page.extract_text(visitor_text=visit) for page in reader.pages]
    # At least one of the nine marks is always 0 (see layout_bits), so the leftmost
    # heading sits at the margin and the others are read against it.
    marked = [(text, x) for text, x in chunks if headings and text in headings]
    margin = min((x for _, x in marked), default=0.0)
    bits: dict[str, list[int]] = {}
    for text, x in marked:
        bits.setdefault(text, []).append(1 if x - margin > 0.35 else 0)
    return PdfEvidence("\n".join(parts), keywords, bits)


def position_from_pdf(evidence: PdfEvidence, headings: list[str]) -> int | None:
    """The copy number the headings' indents spell, or None when they spell nothing."""
    if len(headings) != HEADING_MARKS:
        return None
    bits: list[int] = []
    for heading in headings:
        seen = evidence.heading_bits.get(heading)
        if not seen:
            return None
        bits.append(seen[0])
    return position_from_bits(bits)
