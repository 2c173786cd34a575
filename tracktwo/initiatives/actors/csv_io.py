"""The actor map and candidate pools as CSV: reading with line- and field-named errors, writing.

Reading checks a whole file before anything is stored: the first mistake raises
:class:`~tracktwo.practice.errors.InvalidInput` whose ``field`` is ``"<file>, line N,
field F"``, so nothing is half imported. Sides are named as the initiative's parties are
(compared case-blind).

Actors: ``id,kind,name,side,track,level,influence,access,decision_maker,gender,region,notes``
(``id``, ``name``, ``track`` and ``level`` required). Ties: ``from,to,kind,note`` naming
actors by the ``id`` of the actors file, or by the number an export gave them.
Candidates: ``id,name,side,household,consent,hardliner,spoiler,credibility,screening,actor``
and any other column as a category (gender, track, region, age band, level...).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tracktwo.initiatives.actors.models import ActorKind, ActorTrack, Level, TieKind
from tracktwo.practice.errors import InvalidInput

ACTOR_COLUMNS = (
    "id",
    "kind",
    "name",
    "side",
    "track",
    "level",
    "influence",
    "access",
    "decision_maker",
    "gender",
    "region",
    "notes",
)
TIE_COLUMNS = ("from", "to", "kind", "note")
CANDIDATE_FIXED = (
    "id",
    "name",
    "household",
    "consent",
    "hardliner",
    "spoiler",
    "credibility",
    "screening",
    "actor",
)
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
MAX_ROWS = 20000
MAX_CELL = 2000


@dataclass(frozen=True)
class ActorRow:
    ref: str
    kind: str
    name: str
    party_id: int | None
    track: str
    level: str
    influence: int
    access: int
    decision_maker: bool
    details: dict[str, str]


@dataclass(frozen=True)
class TieRow:
    source: str
    target: str
    kind: str
    note: str


@dataclass(frozen=True)
class CandidateRow:
    ref: str
    name: str
    party_id: int | None
    values: dict[str, str]
    household: str
    consent: bool
    hardliner: bool
    spoiler: bool
    credibility: int
    screening: str
    actor: str


def _where(name: str, line: int, column: str | None = None) -> str:
    if column is None:
        return _("%(file)s, line %(line)d") % {"file": name, "line": line}
    return _("%(file)s, line %(line)d, field %(field)s") % {
        "file": name,
        "line": line,
        "field": column,
    }


def rows_of(
    text: str, name: str, required: Sequence[str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty rows (with their line numbers) of a CSV text."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [cell.strip().casefold() for cell in next(reader)]
    except StopIteration:
        raise InvalidInput(_("the file is empty"), field=name) from None
    except csv.Error as error:
        raise InvalidInput(str(error), field=_where(name, 1)) from None
    for column in required:
        if column not in header:
            raise InvalidInput(_("missing column %(c)r") % {"c": column}, field=_where(name, 1))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                raise InvalidInput(
                    _("%(n)d fields, the header has %(h)d") % {"n": len(row), "h": len(header)},
                    field=_where(name, line),
                )
            cells = {key: cell.strip() for key, cell in zip(header, row, strict=True)}
            for key, cell in cells.items():
                if len(cell) > MAX_CELL or any(ord(ch) < 32 and ch not in "\t\n" for ch in cell):
                    raise InvalidInput(
                        _("too long or has control characters"), field=_where(name, line, key)
                    )
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                raise InvalidInput(_("more than %(n)d rows") % {"n": MAX_ROWS}, field=name)
    except csv.Error as error:
        raise InvalidInput(str(error), field=_where(name, reader.line_num)) from None
    return header, rows


def _flag(value: str, name: str, line: int, column: str) -> bool:
    word = value.casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise InvalidInput(_("%(v)r is not yes or no") % {"v": value}, field=_where(name, line, column))


def _score(value: str, name: str, line: int, column: str) -> int:
    if value == "":
        return 0
    if value not in {"0", "1", "2", "3"}:
        raise InvalidInput(
            _("%(v)r is not 0, 1, 2 or 3") % {"v": value}, field=_where(name, line, column)
        )
    return int(value)


def _choice(value: str, choices: Iterable[str], name: str, line: int, column: str) -> str:
    allowed = list(choices)
    word = value.casefold()
    if word not in allowed:
        raise InvalidInput(
            _("%(v)r is not one of: %(a)s") % {"v": value, "a": ", ".join(allowed)},
            field=_where(name, line, column),
        )
    return word


def _party(value: str, parties: dict[str, int], name: str, line: int) -> int | None:
    if not value:
        return None
    found = parties.get(value.casefold())
    if found is None:
        raise InvalidInput(
            _("%(v)r is not a side of this initiative") % {"v": value},
            field=_where(name, line, "side"),
        )
    return found


def _required(cells: dict[str, str], column: str, name: str, line: int) -> str:
    if not cells.get(column, ""):
        raise InvalidInput(_("must not be empty"), field=_where(name, line, column))
    return cells[column]


def read_actors(text: str, parties: dict[str, int], name: str = "actors.csv") -> list[ActorRow]:
    """Actors from CSV; ``parties`` maps case-folded side names to party ids."""
    _header, rows = rows_of(text, name, ("id", "name", "track", "level"))
    seen: set[str] = set()
    out: list[ActorRow] = []
    for line, cells in rows:
        ref = _required(cells, "id", name, line)
        if ref in seen:
            raise InvalidInput(
                _("%(v)r appears twice") % {"v": ref}, field=_where(name, line, "id")
            )
        seen.add(ref)
        out.append(
            ActorRow(
                ref=ref,
                kind=_choice(cells.get("kind") or "person", ActorKind.values, name, line, "kind"),
                name=_required(cells, "name", name, line),
                party_id=_party(cells.get("side", ""), parties, name, line),
                track=_choice(cells["track"], ActorTrack.values, name, line, "track"),
                level=_choice(cells["level"], Level.values, name, line, "level"),
                influence=_score(cells.get("influence", ""), name, line, "influence"),
                access=_score(cells.get("access", ""), name, line, "access"),
                decision_maker=_flag(cells.get("decision_maker", ""), name, line, "decision_maker"),
                details={k: cells.get(k, "") for k in ("gender", "region", "notes")},
            )
        )
    return out


def read_ties(text: str, name: str = "ties.csv") -> list[TieRow]:
    _header, rows = rows_of(text, name, ("from", "to"))
    out: list[TieRow] = []
    for line, cells in rows:
        source = _required(cells, "from", name, line)
        target = _required(cells, "to", name, line)
        if source == target:
            raise InvalidInput(
                _("an actor cannot be tied to itself"), field=_where(name, line, "to")
            )
        kind = _choice(cells.get("kind") or "tie", TieKind.values, name, line, "kind")
        out.append(TieRow(source, target, kind, cells.get("note", "")))
    return out


def read_candidates(
    text: str, parties: dict[str, int], name: str = "pool.csv"
) -> tuple[list[str], list[CandidateRow]]:
    """The categories (every column not fixed, ``side`` first) and the candidates."""
    header, rows = rows_of(text, name, ("id", "side", "consent"))
    categories = ["side", *(c for c in header if c not in CANDIDATE_FIXED and c != "side")]
    seen: set[str] = set()
    out: list[CandidateRow] = []
    for line, cells in rows:
        ref = _required(cells, "id", name, line)
        if ref in seen:
            raise InvalidInput(
                _("%(v)r appears twice") % {"v": ref}, field=_where(name, line, "id")
            )
        seen.add(ref)
        for category in categories:
            _required(cells, category, name, line)
        out.append(
            CandidateRow(
                ref=ref,
                name=cells.get("name", ""),
                party_id=_party(cells["side"], parties, name, line),
                values={category: cells[category] for category in categories},
                household=cells.get("household", ""),
                consent=_flag(cells["consent"], name, line, "consent"),
                hardliner=_flag(cells.get("hardliner", ""), name, line, "hardliner"),
                spoiler=_flag(cells.get("spoiler", ""), name, line, "spoiler"),
                credibility=_score(cells.get("credibility", ""), name, line, "credibility"),
                screening=cells.get("screening", ""),
                actor=cells.get("actor", ""),
            )
        )
    return categories, out


def write_rows(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text; cells that a spreadsheet would run as a formula are quoted with ``'``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue()


def _safe(cell: object) -> str:
    text = "" if cell is None else str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
