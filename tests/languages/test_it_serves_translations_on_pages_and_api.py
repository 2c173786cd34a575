"""Across languages through the pages and the API: a participant reads their language (the
original on request), writes in it, and a translator works the queue seeing texts only."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from factories import Workshop, issue_token, make_user

from tracktwo.dialogues import actions
from tracktwo.dialogues.actions import translations
from tracktwo.dialogues.models import (
    LanguageSettings,
    Participant,
    StatementLanguage,
    StatementTranslation,
)
from tracktwo.initiatives import actions as initiative_actions

pytestmark = pytest.mark.django_db


def _joined(workshop: Workshop, handle: str, language: str, party: int) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.get(f"/join/{workshop.invite(party)}").status_code == 302
    answer = client.post("/join", {"handle": handle, "accept": "on", "languages": [language]})
    assert answer.status_code == 201
    return client


def _translator(workshop: Workshop) -> object:
    user = make_user("translator")
    initiative_actions.add_member(
        workshop.initiative, user, "translator", workshop.convener, dialogue=workshop.dialogue
    )
    return user


def test_it_shows_each_participant_their_language(workshop: Workshop) -> None:
    seed = actions.write_statement(
        workshop.dialogue, "الماء حق للجميع", user=workshop.convener, language="ar"
    )
    translations.translate_statement(seed, "he", "המים הם זכות של כולם", workshop.convener)
    hebrew = _joined(workshop, "CANARY-Heron", "he", 1)
    page = hebrew.get(f"/d/{workshop.dialogue.pk}/vote").content.decode()
    assert '<html lang="he" dir="rtl">' in page
    assert 'lang="he"><bdi dir="auto">המים הם זכות של כולם</bdi></blockquote>' in page
    assert "מתורגם. הצגת המקור" in page  # the original on request
    assert 'lang="ar"><bdi dir="auto">الماء حق للجميع</bdi></blockquote>' in page
    arabic = _joined(workshop, "CANARY-Crane", "ar", 0)
    page = arabic.get(f"/d/{workshop.dialogue.pk}/vote").content.decode()
    assert 'lang="ar"><bdi dir="auto">الماء حق للجميع</bdi></blockquote>' in page
    assert "המים" not in page


def test_it_records_the_language_a_participant_writes_in(workshop: Workshop) -> None:
    hebrew = _joined(workshop, "CANARY-Heron", "he", 1)
    hebrew.post(f"/d/{workshop.dialogue.pk}/write", {"text": "צריך ועדה משותפת"})
    row = StatementLanguage.objects.get()
    assert row.language == "he"


def test_it_lets_a_translator_work_the_queue_page(workshop: Workshop) -> None:
    translator = _translator(workshop)
    arabic = _joined(workshop, "CANARY-Crane", "ar", 0)
    arabic.post(f"/d/{workshop.dialogue.pk}/write", {"text": "نحتاج لجنة مشتركة"})
    written = StatementLanguage.objects.get().statement
    actions.moderate_statement(written, "accepted", workshop.convener)
    browser = Client()
    browser.force_login(translator)
    url = f"/dialogues/{workshop.dialogue.pk}/translations"
    page = browser.get(url).content.decode()
    assert "نحتاج لجنة مشتركة" in page and "CANARY" not in page
    moved = browser.post(
        url,
        {
            "action": "translate",
            "statement": written.pk,
            "language": "en",
            "text": "We need a joint committee",
        },
    )
    assert moved.status_code == 302
    row = StatementTranslation.objects.get(statement=written, language="en")
    assert (row.method, row.review) == ("translator", "reviewed")
    assert browser.get(f"/dialogues/{workshop.dialogue.pk}/").status_code == 404  # no overview
    workshop.cast("observer")
    watcher = Client()
    watcher.force_login(workshop.observer)
    assert watcher.get(url).status_code == 403  # an observer is told no, not the queue


def test_it_serves_the_queue_and_the_analysis_through_the_api(workshop: Workshop) -> None:
    translator = _translator(workshop)
    token = issue_token(translator)  # type: ignore[arg-type]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    _joined(workshop, "CANARY-Heron", "he", 1)
    seed = actions.write_statement(workshop.dialogue, "Water is shared.", user=workshop.convener)
    base = f"/api/v1/dialogues/{workshop.dialogue.pk}"
    queue = api.get(f"{base}/translations/queue").json()
    (item,) = queue["items"]
    assert item == {
        "statement": seed.pk,
        "language": "en",
        "text": "Water is shared.",
        "missing": ["he"],
        "to_review": [],
    }
    made = api.post(
        f"{base}/statements/{seed.pk}/translations",
        json.dumps({"language": "he", "text": "המים משותפים."}),
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["method"] == "translator"
    bad = api.post(
        f"{base}/statements/{seed.pk}/translations",
        json.dumps({"language": "xx", "text": "?"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "language" in json.dumps(bad.json())
    assert api.get(f"{base}/analysis/languages").status_code == 404  # texts only
    assert api.get(f"{base}/translations/queue").json()["items"] == []
    actions.cast_vote(Participant.objects.get(dialogue=workshop.dialogue), seed.pk, 1)
    facilitator = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(workshop.convener)}")
    plain = facilitator.get(f"{base}/analysis/languages").json()
    assert plain["languages"] == ["he"] and plain["suppressed"] is False
    assert plain["statements"][0]["by_language"]["he"]["agree"] == 1
    assert "original_language" not in json.dumps(plain)  # named only when asked
    asked = facilitator.get(f"{base}/analysis/languages?origin=true").json()
    assert asked["statements"][0]["original_language"] == "en"


def test_it_lets_only_the_convener_choose_to_show_machine_translations(
    workshop: Workshop,
) -> None:
    translator = _translator(workshop)
    url = f"/dialogues/{workshop.dialogue.pk}/translations"
    form = {"action": "settings", "first_language": "ar", "show_machine": "on"}
    browser = Client()
    browser.force_login(translator)
    assert "show_machine" not in browser.get(url).content.decode()
    assert browser.post(url, form).status_code == 302
    assert not LanguageSettings.objects.filter(dialogue=workshop.dialogue).exists()
    convener = Client()
    convener.force_login(workshop.convener)
    assert 'name="show_machine"' in convener.get(url).content.decode()
    assert convener.post(url, form).status_code == 302
    row = LanguageSettings.objects.get(dialogue=workshop.dialogue)
    assert (row.first_language, row.show_unreviewed_machine) == ("ar", True)


def test_it_takes_custom_ground_rules_in_another_language(workshop: Workshop) -> None:
    actions.update_ground_rules(workshop.dialogue, ["Speak for yourself."], workshop.convener)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(workshop.convener)}")
    url = f"/api/v1/dialogues/{workshop.dialogue.pk}/languages/ground-rules"
    body = json.dumps({"language": "ar", "rules": ["تحدث باسمك فقط."]})
    answer = api.post(url, body, content_type="application/json")
    assert answer.status_code == 200 and answer.json() == {"language": "ar", "rules": 1}
    arabic = _joined(workshop, "CANARY-Crane", "ar", 0)
    page = arabic.get(f"/d/{workshop.dialogue.pk}/rules").content.decode()
    assert "تحدث باسمك فقط." in page and "Speak for yourself." not in page
    bad = api.post(
        url, json.dumps({"language": "xx", "rules": []}), content_type="application/json"
    )
    assert bad.status_code == 400


def test_it_takes_ground_rules_per_language_on_the_queue_page(workshop: Workshop) -> None:
    actions.update_ground_rules(workshop.dialogue, ["Speak for yourself."], workshop.convener)
    url = f"/dialogues/{workshop.dialogue.pk}/translations"
    convener = Client()
    convener.force_login(workshop.convener)
    page = convener.get(url).content.decode()
    assert 'id="rules-he" name="rules" rows="4" lang="he" dir="rtl"' in page
    assert 'id="rules-fr" name="rules" rows="4" lang="fr" dir="ltr"' in page
    form = {"action": "rules", "language": "he", "rules": "דברו בשם עצמכם.\n\nבלי שמות.\n"}
    assert convener.post(url, form).status_code == 302
    assert "בלי שמות." in convener.get(url).content.decode()  # the saved version shows
    hebrew = _joined(workshop, "CANARY-Heron", "he", 1)
    rules = hebrew.get(f"/d/{workshop.dialogue.pk}/rules").content.decode()
    assert "דברו בשם עצמכם." in rules and "בלי שמות." in rules
    assert "Speak for yourself." not in rules
    arabic = _joined(workshop, "CANARY-Crane", "ar", 0)
    rules = arabic.get(f"/d/{workshop.dialogue.pk}/rules").content.decode()
    assert "Speak for yourself." in rules and "בלי" not in rules  # no Arabic version yet
    assert convener.post(url, {"action": "rules", "language": "he", "rules": ""}).status_code == 302
    rules = hebrew.get(f"/d/{workshop.dialogue.pk}/rules").content.decode()
    assert "Speak for yourself." in rules  # the version removed
    assert (
        convener.post(url, {"action": "rules", "language": "xx", "rules": "?"}).status_code == 400
    )
    translator = _translator(workshop)
    browser = Client()
    browser.force_login(translator)
    assert 'name="rules"' not in browser.get(url).content.decode()  # facilitators only
    browser.post(url, {"action": "rules", "language": "ar", "rules": "NOT-A-FACILITATOR"})
    assert (
        "NOT-A-FACILITATOR" not in arabic.get(f"/d/{workshop.dialogue.pk}/rules").content.decode()
    )
