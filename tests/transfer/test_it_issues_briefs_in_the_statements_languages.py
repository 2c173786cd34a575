"""A brief can be issued in any language the statements have: its wording from the
catalogue, the statements in their reviewed translations, right to left in Arabic; its
copies stay marked and traceable; the language a statement came from is never named."""

from __future__ import annotations

import pytest
from django.test import Client
from transfer_support import COMMON, DIVIDE, REJECT, Scenario

from tracktwo.dialogues.actions import translations
from tracktwo.practice.errors import InvalidInput
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import actions, trace
from tracktwo.transfer.models import Brief

pytestmark = pytest.mark.django_db

ARABIC = {
    "COMMON": "يحتاج المجتمعان كلاهما إلى وصول آمن وموثوق إلى المياه النظيفة.",
    "REJECT": "العنف طريقة مقبولة لتسوية نزاع المياه.",
    "DIVIDE": "يجب ملء الخزان في أعلى النهر قبل إطلاق أي مياه إلى أسفله.",
}


def _translated(scenario: Scenario) -> None:
    for key, text in ARABIC.items():
        translations.translate_statement(scenario.statements[key], "ar", text, scenario.facilitator)


def _issue(scenario: Scenario, language: str | None) -> actions.IssuedCopy:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    (copy,) = actions.issue(
        brief, scenario.facilitator, [(scenario.liaisons[0], "Desk")], language=language
    )
    actions.open_link(copy.link_token, copy.recipient.user)
    return copy


def test_it_issues_a_brief_in_arabic(scenario: Scenario) -> None:
    _translated(scenario)
    copy = _issue(scenario, "ar")
    html = actions.render_copy(copy.recipient, "html", copy.recipient.user).body.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ملخص" in html and "أرضية مشتركة بين الأطراف" in html  # headings in Arabic
    assert ARABIC["COMMON"] in html and ARABIC["DIVIDE"] in html
    assert COMMON not in html and DIVIDE not in html and REJECT not in html
    assert "English" not in html and "Arabic" not in html  # no statement's origin named
    frozen = copy.recipient.brief.frozen.read(box_for(scenario.initiative.pk))
    assert frozen["language"] == "ar" and frozen["headings"][0] == "ملخص"
    markdown = actions.render_copy(copy.recipient, "md", copy.recipient.user).body.decode()
    assert "## ملخص" in markdown and ARABIC["COMMON"] in markdown


def test_it_still_issues_in_english_by_default(scenario: Scenario) -> None:
    _translated(scenario)
    copy = _issue(scenario, None)
    html = actions.render_copy(copy.recipient, "html", copy.recipient.user).body.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert COMMON in html and ARABIC["COMMON"] not in html


def test_it_traces_a_leaked_arabic_pdf(scenario: Scenario) -> None:
    _translated(scenario)
    copy = _issue(scenario, "ar")
    data = actions.render_copy(copy.recipient, "pdf", copy.recipient.user).body
    assert data.startswith(b"%PDF")
    found = trace.trace(data, scenario.convener)
    assert found.recipient == copy.recipient and not found.conflicting
    methods = {method for method, _what in found.evidence}
    assert {"pdf-keywords", "visible-reference"} <= methods


def test_it_refuses_a_language_the_statements_do_not_have(scenario: Scenario) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    with pytest.raises(InvalidInput) as caught:
        actions.issue(brief, scenario.facilitator, [(scenario.liaisons[0], "")], language="he")
    assert caught.value.field == "language"


def test_it_previews_the_draft_in_the_language_chosen(scenario: Scenario) -> None:
    client = Client()
    client.force_login(scenario.facilitator)
    editor = f"/briefs/dialogues/{scenario.dialogue.pk}/"
    assert 'id="id_language"' not in client.get(editor).content.decode()  # only English yet
    _translated(scenario)
    page = client.get(editor).content.decode()
    assert (
        'id="id_language"' in page
        and '<option value="ar">' in page
        and 'name="format" value="pdf"' in page
    )
    html = client.get(f"{editor}preview?language=ar&format=html").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ملخص" in html and ARABIC["COMMON"] in html and COMMON not in html
    english = client.get(f"{editor}preview?language=en").content.decode()
    assert '<html lang="en" dir="ltr">' in english and COMMON in english
    assert ARABIC["COMMON"] not in english
    markdown = client.get(f"{editor}preview?language=ar&format=md").content.decode()
    assert "## ملخص" in markdown and ARABIC["COMMON"] in markdown
    pdf = client.get(f"{editor}preview?language=ar&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"{editor}preview?language=he").status_code == 400  # no Hebrew text
    assert client.get(f"{editor}preview?language=xx").status_code == 400
    assert not Brief.objects.exclude(state="draft").exists()  # a preview issues nothing


def test_it_serves_the_draft_in_a_statements_language_through_the_api(scenario: Scenario) -> None:
    _translated(scenario)
    client = Client()
    client.force_login(scenario.facilitator)
    url = f"/api/v1/dialogues/{scenario.dialogue.pk}/brief?format=html"
    arabic = client.get(f"{url}&language=ar")
    assert arabic.status_code == 200
    html = arabic.content.decode()
    assert '<html lang="ar" dir="rtl">' in html and ARABIC["COMMON"] in html
    assert COMMON not in html and "Arabic" not in html
    english = client.get(f"{url}&language=en").content.decode()
    assert '<html lang="en" dir="ltr">' in english and COMMON in english
    refused = client.get(f"{url}&language=he")
    assert refused.status_code == 400
    assert "language" in str(refused.json()["detail"]) and "ar" in str(refused.json()["detail"])
