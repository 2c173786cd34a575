"""In Arabic, the participant's pages -- joining, the ground rules, voting, writing, their own
position, withdrawing and the quick exit -- come out right to left with Arabic text, from
the compiled catalogue; the Chatham House Rule in Chatham House's own Arabic translation;
and nothing is loaded from another origin."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.test import Client
from web_support import World, make_world, text_of

import tracktwo
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Statement

pytestmark = pytest.mark.django_db

CATALOGUE = Path(tracktwo.__file__).parent / "locale" / "ar" / "LC_MESSAGES"


def _arabic_page(html: str) -> str:
    assert '<html lang="ar" dir="rtl">' in html
    assert not re.search(r"(src|href|action)=\"(https?:)?//", html)  # our own origin only
    return text_of(html)


def _po_translations(path: Path) -> dict[str, str]:
    """Translated singular entries of a .po file (msgid -> msgstr), multi-line strings joined."""
    found: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            head = re.match(r'(msgid|msgstr|msgid_plural|msgctxt) (".*")$', line)
            if head:
                key = head.group(1)
                fields[key] = ast.literal_eval(head.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid") and fields.get("msgstr") and "msgid_plural" not in fields:
            found[fields["msgid"]] = fields["msgstr"]
    return found


def test_it_ships_the_arabic_catalogue_compiled_from_its_source() -> None:
    source = _po_translations(CATALOGUE / "django.po")
    assert len(source) > 200
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [msgid for msgid, text in source.items() if compiled.gettext(msgid) != text]
    assert not stale, f"django.mo is older than django.po (run compilemessages): {stale[:3]}"


def test_it_joins_in_arabic(world: World) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    browser.get(f"/join/{world.invite()}")
    page = _arabic_page(browser.get("/join").content.decode())
    assert "أنت مدعوّ/ة إلى حوار" in page  # You are invited to a dialogue
    assert "القواعد الأساسية" in page  # Ground rules
    assert "لا لوم" in page  # the format's first default rule, in Arabic
    assert "انضمّ إلى الحوار" in page  # Join the dialogue
    assert "<title>الانضمام · حوار</title>" in browser.get("/join").content.decode()
    # The Chatham House Rule: Chatham House's own Arabic translation, in the page's direction.
    html = browser.get("/join").content.decode()
    assert (
        '<blockquote class="regime">حينما يعقد اجتماع او جزء منه في اطار قاعدة تشاتام هاوس' in html
    )
    assert "بالنص الإنجليزي الأصلي" not in page
    joined = browser.post("/join", {"handle": "Heron", "accept": "on"})
    assert joined.status_code == 201
    welcome = _arabic_page(joined.content.decode())
    assert "رمز الاسترداد الخاص بك" in welcome  # Your recovery code


def test_it_translates_the_off_the_record_rule(db: None) -> None:
    world = make_world(confidentiality="off-the-record")
    browser = Client(HTTP_ACCEPT_LANGUAGE="ar")
    browser.get(f"/join/{world.invite()}")
    html = browser.get("/join").content.decode()
    assert '<blockquote class="regime">هذا الحوار غير قابل للنشر' in html


def test_it_keeps_every_participant_page_right_to_left_in_arabic(world: World) -> None:
    statement = world.seed("Both valleys need clean water.")
    browser = world.join("Heron")
    chosen = browser.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert chosen.status_code == 302
    base = f"/d/{world.dialogue.pk}"
    expected = {
        "/vote": ["أوافق", "لا أوافق", "أمتنع / لست متأكدًا"],  # Agree, Disagree, Pass
        "/write": ["بيانك", "إرسال"],  # Your statement, Send
        "/me": ["أين تقف", "الانسحاب من الحوار"],  # Where you stand, Withdraw...
        "/withdraw": ["احذف أصواتي أيضًا واسحب بياناتي"],
        "/rules": ["القواعد الأساسية", "لقد قبلت هذه القواعد الأساسية."],
    }
    for path, phrases in expected.items():
        page = _arabic_page(browser.get(base + path).content.decode())
        for phrase in phrases:
            assert phrase in page, (path, phrase)
        assert "خروج سريع" in page, path  # Quick exit
    # What the statement says is the participants' own words: not translated.
    assert "Both valleys need clean water." in text_of(browser.get(base + "/vote").content)
    voted = browser.post(base + "/vote", {"statement": statement.pk, "vote": "agree"}, follow=True)
    assert "لقد صوّتّ على كل البيانات" in _arabic_page(voted.content.decode())
    written = browser.post(base + "/write", {"text": "Meet every month."}, follow=True)
    assert "سيطّلع أحد الميسّرين على بيانك" in _arabic_page(written.content.decode())
    left = browser.post(base + "/withdraw", {})
    assert "لقد غادرت الحوار" in _arabic_page(left.content.decode())


def test_it_exits_quickly_to_an_arabic_page_that_says_nothing(world: World) -> None:
    browser = world.join("Heron")
    browser.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = browser.post("/exit").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "<title>شوربة العدس</title>" in page  # Lentil soup
    assert "Heron" not in page and "Valley" not in page


def test_it_tells_an_arabic_reader_why_a_redacted_statement_changed(world: World) -> None:
    browser = world.join("Heron")
    browser.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    browser.post(f"/d/{world.dialogue.pk}/write", {"text": "As the mayor of Lower Ford, I agree."})
    written = Statement.objects.get(author_participant__isnull=False)
    actions.moderate_statement(
        written, "accepted", world.facilitator, redacted_text="As a local official, I agree."
    )
    page = _arabic_page(browser.get(f"/d/{world.dialogue.pk}/me").content.decode())
    assert "عُدِّل بيانك" in page  # Your statement was edited
    # The notice is written in the reader's language when read, not the facilitator's.
    assert "نصّه الآن: As a local official, I agree." in page
    assert "A facilitator edited" not in page
    english = world.join("Wren")  # another participant, reading in English, is told nothing
    assert "As a local official" not in english.get(f"/d/{world.dialogue.pk}/me").content.decode()
