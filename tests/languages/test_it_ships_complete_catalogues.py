"""Every shipped language has every string it promises: Arabic and Hebrew every string of
every page, e-mail and brief; French, Russian and Spanish every string of the participants'
pages. Extraction runs afresh (``makemessages`` on a copy of the package), so a string
added to a page or a module without a translation fails here, as does a stale .mo file or
a plural entry without all of its language's forms."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import translation_gaps as gaps  # noqa: E402

from tracktwo.practice.formats import CHATHAM_HOUSE_RULE  # noqa: E402

COMPLETE = ("ar", "he")
PARTICIPANT_PAGES = ("fr", "ru", "es")
NPLURALS = {"ar": 6, "he": 4, "fr": 2, "ru": 4, "es": 3}
# Chatham House publishes no Hebrew text of its Rule: quoted in English (marked as such).
NO_OFFICIAL_TEXT = {"he": {CHATHAM_HOUSE_RULE}}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package with its catalogues re-extracted from today's sources."""
    copy = tmp_path_factory.mktemp("extract") / "tracktwo"
    shutil.copytree(
        ROOT / "tracktwo",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tracktwo.site.settings"}
    env["PYTHONPATH"] = str(ROOT)
    languages = [arg for code in (*COMPLETE, *PARTICIPANT_PAGES) for arg in ("-l", code)]
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", *languages, "--add-location=file"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy / "locale"


def _missing(locale: Path, language: str, *, participant_only: bool) -> list[str]:
    old = gaps.LOCALE
    gaps.LOCALE = locale
    try:
        found = gaps.gaps(language, participant_only=participant_only)
    finally:
        gaps.LOCALE = old
    with translation.override("en"):
        exempt = {str(text) for text in NO_OFFICIAL_TEXT.get(language, set())}
    return [msgid for msgid in found if msgid not in exempt]


def test_it_declares_a_catalogue_for_every_language() -> None:
    declared = {code for code, _name in settings.LANGUAGES} - {"en"}
    assert declared == set(COMPLETE) | set(PARTICIPANT_PAGES)
    for code in declared:
        assert (gaps.LOCALE / code / "LC_MESSAGES" / "django.mo").exists(), code


@pytest.mark.parametrize("language", COMPLETE)
def test_it_translates_every_string(extracted: Path, language: str) -> None:
    assert _missing(extracted, language, participant_only=False) == []


@pytest.mark.parametrize("language", PARTICIPANT_PAGES)
def test_it_translates_every_participant_string(extracted: Path, language: str) -> None:
    assert _missing(extracted, language, participant_only=True) == []


@pytest.mark.parametrize("language", (*COMPLETE, *PARTICIPANT_PAGES))
def test_it_ships_compiled_catalogues_with_every_plural_form(language: str) -> None:
    folder = gaps.LOCALE / language / "LC_MESSAGES"
    entries = gaps.read(folder / "django.po")
    assert f"nplurals={NPLURALS[language]};" in entries[0].msgstr[0]
    with (folder / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries[1:]:
        if not entry.translated:
            continue
        if entry.msgid_plural:
            assert sorted(entry.msgstr) == list(range(NPLURALS[language])), entry.msgid
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) in entry.msgstr.values()
        elif entry.msgctxt is None:
            assert compiled.gettext(entry.msgid) == entry.msgstr[0], entry.msgid


def test_it_finds_a_gap_when_a_string_is_left_out(extracted: Path, tmp_path: Path) -> None:
    """The check itself: blank one Arabic translation and the gap shows."""
    copy = tmp_path / "locale"
    shutil.copytree(extracted, copy)
    po = copy / "ar" / "LC_MESSAGES" / "django.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "الاسم المستعار"', 'msgstr ""', 1),
        encoding="utf-8",
    )
    assert _missing(copy, "ar", participant_only=False) == ["Handle"]
    assert _missing(copy, "ar", participant_only=True) == ["Handle"]
