"""List the msgids a shipped catalogue leaves untranslated (or fuzzy), per language.

    python tools/translation_gaps.py            # every catalogue under tracktwo/locale
    python tools/translation_gaps.py ar he      # some languages
    python tools/translation_gaps.py --participant fr ru es   # participant pages only

Run it after ``django-admin makemessages`` (from ``tracktwo/``) to see what a merge added.
Exit status 1 when a gap is found, so it can gate a release. No third-party package: the
reader below understands the PO files ``makemessages`` writes. The test
``tests/languages/test_it_ships_complete_catalogues.py`` uses the same functions.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "tracktwo" / "locale"

# Where participants' strings come from (``#:`` file references of ``makemessages
# --add-location=file``): their pages, the page shell, error pages, their forms and views.
PARTICIPANT_SOURCES = (
    "templates/base.html",
    "templates/exit.html",
    "templates/errors/",
    "templates/dialogues/participant.html",
    "templates/dialogues/join.html",
    "templates/dialogues/join_invalid.html",
    "templates/dialogues/recover.html",
    "templates/dialogues/welcome.html",
    "templates/dialogues/rules.html",
    "templates/dialogues/_rules.html",
    "templates/dialogues/vote.html",
    "templates/dialogues/write.html",
    "templates/dialogues/me.html",
    "templates/dialogues/withdraw.html",
    "templates/dialogues/withdrawn.html",
    "templates/dialogues/results.html",
    "templates/dialogues/results_hidden.html",
    "templates/dialogues/_phase.html",
    "templates/dialogues/_position.html",
    "templates/evaluation/answer.html",
    "dialogues/views/participant.py",
)


@dataclass
class Entry:
    """One message of a PO file."""

    comments: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def fuzzy(self) -> bool:
        return any(c.startswith("#,") and "fuzzy" in c for c in self.comments)

    @property
    def obsolete(self) -> bool:
        return any(c.startswith("#~") for c in self.comments)

    @property
    def sources(self) -> list[str]:
        return [ref for c in self.comments if c.startswith("#: ") for ref in c[3:].split()]

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.fuzzy


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line.strip()))


def read(path: Path) -> list[Entry]:
    """The entries of a PO file, the header (msgid "") first."""
    entries: list[Entry] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = Entry()
        key: tuple[str, int] | None = None
        for line in block.strip("\n").splitlines():
            if line.startswith("#"):
                entry.comments.append(line)
            elif line.startswith('"') and key is not None:
                _set(entry, key, _get(entry, key) + _unquote(line))
            else:
                word, _, rest = line.partition(" ")
                key = ("msgstr", int(word[7:-1])) if word.startswith("msgstr[") else (word, 0)
                _set(entry, key, _unquote(rest))
        if key is not None:
            entries.append(entry)
    return entries


def _get(entry: Entry, key: tuple[str, int]) -> str:
    if key[0] == "msgstr":
        return entry.msgstr.get(key[1], "")
    return getattr(entry, key[0]) or ""


def _set(entry: Entry, key: tuple[str, int], value: str) -> None:
    if key[0] == "msgstr":
        entry.msgstr[key[1]] = value
    else:
        setattr(entry, key[0], value)


def gaps(language: str, *, participant_only: bool = False) -> list[str]:
    """The msgids of ``language``'s catalogue that are untranslated or fuzzy."""
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = []
    for entry in read(path)[1:]:
        if entry.obsolete or entry.translated:
            continue
        if participant_only and not any(
            src.startswith(PARTICIPANT_SOURCES) for src in entry.sources
        ):
            continue
        missing.append(entry.msgid)
    return missing


def main(argv: list[str]) -> int:
    participant_only = "--participant" in argv
    languages = [a for a in argv if not a.startswith("--")] or sorted(
        p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / "django.po").exists()
    )
    found = 0
    for language in languages:
        missing = gaps(language, participant_only=participant_only)
        found += len(missing)
        print(f"{language}: {len(missing)} untranslated")
        for msgid in missing:
            print(f"  {msgid!r}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
