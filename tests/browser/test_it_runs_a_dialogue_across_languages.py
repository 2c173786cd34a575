"""In real Chromium: an Arabic-reading and a Hebrew-reading participant of different sides
vote on the same statement, each in their language, right to left; the dashboard counts
their votes on the one statement together; the brief is issued in English and in Arabic,
and the Arabic PDF, rendered to an image with pdftoppm, runs right to left."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from factories import assess_tool, make_workshop
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from tracktwo.accounts.models import User
from tracktwo.dialogues import actions
from tracktwo.dialogues.actions import translations
from tracktwo.dialogues.models import Statement, Vote
from tracktwo.transfer import actions as transfer
from tracktwo.transfer.file_copy import render_file_copy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ARABIC = "يجب أن يحصل الواديان كلاهما على حد أدنى مضمون من المياه النظيفة في كل موسم."
HEBREW = "שני העמקים צריכים לקבל כמות מינימלית מובטחת של מים נקיים בכל עונה."


def _signed_in(browser: Browser, origin: str, user: User) -> Page:
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": origin}]
    )
    return context.new_page()


def _join(browser: Browser, origin: str, link: str, language: str) -> Page:
    page = browser.new_context(viewport=PHONE, locale=language).new_page()
    page.goto(origin + link)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("input[name=handle]").fill(f"reader-{language}")
    page.locator(f"input[name=languages][value={language}]").check()
    page.locator("input[name=accept]").check()
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("code, .recovery-code, strong").first).to_be_visible()
    return page


def _ink_edges(png: bytes) -> tuple[float, float]:
    """Spread (standard deviation) of the left and of the right ends of the text lines in
    the middle of a page image: text aligned on the left has steady left ends."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    lefts, rights = [], []
    for y in range(height // 5, height * 4 // 5):
        dark = [x for x in range(width) if pixels[x, y] < 128]
        if len(dark) > 3:
            lefts.append(dark[0])
            rights.append(dark[-1])
    assert len(lefts) > 50, "no text found on the page image"

    def spread(values: list[int]) -> float:
        mean = sum(values) / len(values)
        return (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5

    return spread(lefts), spread(rights)


def _page_image(pdf: bytes, folder: Path, name: str) -> bytes:
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "60",
            "-gray",
            "-png",
            str(folder / f"{name}.pdf"),
            str(folder / name),
        ],
        check=True,
    )
    (image,) = folder.glob(f"{name}*.png")
    return image.read_bytes()


def test_it_runs_a_dialogue_across_arabic_and_hebrew(
    browser: Browser, live_server: object, tmp_path: Path, require_system: object
) -> None:
    require_system(  # type: ignore[operator]
        shutil.which("pdftoppm") is not None, "needs pdftoppm: apt-get install poppler-utils"
    )
    origin = str(live_server.url)  # type: ignore[attr-defined]
    workshop = make_workshop(personas=("liaison",))
    dialogue = workshop.dialogue
    assess_tool(dialogue, workshop.convener, "briefs")
    seed = actions.write_statement(dialogue, ARABIC, user=workshop.convener, language="ar")
    translations.translate_statement(seed, "he", HEBREW, workshop.convener)

    arabic = _join(browser, origin, f"/join/{workshop.invite(0)}", "ar")
    hebrew = _join(browser, origin, f"/join/{workshop.invite(1)}", "he")
    for page, language, text, agree in (
        (arabic, "ar", ARABIC, "أوافق"),
        (hebrew, "he", HEBREW, "מסכים/ה"),
    ):
        page.goto(f"{origin}/d/{dialogue.pk}/vote")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#statement-text")).to_have_text(text)
        page.get_by_role("button", name=agree, exact=True).click()
        expect(page.locator(".empty h2")).to_be_visible()  # voted on every statement
    assert Statement.objects.filter(dialogue=dialogue).count() == 1
    assert Vote.objects.filter(statement=seed).values("participant").distinct().count() == 2

    convener = _signed_in(browser, origin, workshop.convener)
    convener.goto(f"{origin}/dialogues/{dialogue.pk}/dashboard")
    expect(convener.locator("[data-total-votes]")).to_have_text("2")

    pdfs = {}
    for language, label in (("en", "English"), ("ar", "العربية")):
        brief = transfer.draft_for(dialogue, None, workshop.convener)
        convener.goto(f"{origin}/briefs/{brief.pk}/issue")
        convener.get_by_label("Language of the brief").select_option(label=label)
        convener.locator("input[type=checkbox][name^=send_]").check()
        convener.get_by_role("button", name="Issue", exact=True).click()
        expect(convener.locator("body")).to_contain_text("The brief is issued")
        brief.refresh_from_db()
        copy = brief.recipients.get()
        pdfs[language] = render_file_copy(brief, "pdf", workshop.convener).body
        assert copy.brief_id == brief.pk
    ltr_left, ltr_right = _ink_edges(_page_image(pdfs["en"], tmp_path, "en"))
    rtl_left, rtl_right = _ink_edges(_page_image(pdfs["ar"], tmp_path, "ar"))
    assert ltr_left < 0.5 * ltr_right  # English: lines start at the left margin
    assert rtl_right < 0.8 * rtl_left  # Arabic: lines start at the right margin
