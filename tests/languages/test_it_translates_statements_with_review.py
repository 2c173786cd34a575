"""A statement has an original and translations under one id: votes pool across languages,
each reader gets their language once a person stands behind the translation, translators
see texts but never identities, and the queue lists what others still cannot read."""

from __future__ import annotations

import pytest
from django.utils import translation
from factories import Workshop, make_user

from tracktwo.dialogues import actions
from tracktwo.dialogues.actions import translations as lang_actions
from tracktwo.dialogues.models import Vote
from tracktwo.dialogues.queries import translations as queries
from tracktwo.dialogues.queries.reading import ground_rules
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import InvalidInput, NotAllowed
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def _translator(workshop: Workshop) -> object:
    user = make_user("translator")
    initiative_actions.add_member(
        workshop.initiative, user, "translator", workshop.convener, dialogue=workshop.dialogue
    )
    return user


def _arabic_and_hebrew(workshop: Workshop) -> tuple[object, object]:
    arabic = workshop.join("Heron", 0, languages=["ar"]).participant
    hebrew = workshop.join("Crane", 1, languages=["he"]).participant
    return arabic, hebrew


def test_it_pools_votes_on_one_statement_read_in_two_languages(workshop: Workshop) -> None:
    arabic, hebrew = _arabic_and_hebrew(workshop)
    seed = actions.write_statement(
        workshop.dialogue, "الماء حق للجميع", user=workshop.convener, language="ar"
    )
    lang_actions.translate_statement(seed, "he", "המים הם זכות של כולם", workshop.convener)
    assert queries.reading(seed, "ar").text == "الماء حق للجميع"
    shown = queries.reading(seed, "he")
    assert (shown.text, shown.language, shown.original) == ("המים הם זכות של כולם", "he", "ar")
    assert shown.original_text == "الماء حق للجميع"  # the original on request
    assert queries.reading(seed, "he", original=True).text == "الماء حق للجميع"
    actions.cast_vote(arabic, seed.pk, 1)
    actions.cast_vote(hebrew, seed.pk, 1)
    assert set(Vote.objects.filter(statement=seed).values_list("participant_id", flat=True)) == {
        arabic.pk,
        hebrew.pk,
    }


def test_it_shows_machine_translations_only_after_review(workshop: Workshop) -> None:
    translator = _translator(workshop)
    seed = actions.write_statement(workshop.dialogue, "Water is shared.", user=workshop.convener)
    row = lang_actions.translate_statement(seed, "ar", "الماء مشترك.", translator, machine=True)
    assert (row.method, row.review) == ("machine", "unreviewed")
    assert queries.reading(seed, "ar").text == "Water is shared."  # not yet
    lang_actions.set_languages(workshop.dialogue, workshop.convener, show_machine=True)
    assert queries.reading(seed, "ar").text == "الماء مشترك."  # the convener chose so
    lang_actions.set_languages(workshop.dialogue, workshop.convener, show_machine=False)
    lang_actions.review_translation(row, translator, accept=True, text="الماء شيء مشترك.")
    row.refresh_from_db()
    assert row.review == "reviewed" and row.method == "machine"
    assert queries.reading(seed, "ar").text == "الماء شيء مشترك."
    lang_actions.review_translation(row, workshop.convener, accept=False)
    assert queries.reading(seed, "ar").text == "Water is shared."  # rejected: the original
    details = list(
        AuditEvent.objects.filter(action="translation.reviewed").values_list("details", flat=True)
    )
    assert all(set(d) == {"language", "review"} for d in details) and details


def test_it_records_how_each_translation_was_made(workshop: Workshop) -> None:
    workshop.cast("facilitator")
    translator = _translator(workshop)
    seed = actions.write_statement(workshop.dialogue, "Dams worry us.", user=workshop.convener)
    by_facilitator = lang_actions.translate_statement(
        seed, "fr", "Les barrages nous inquiètent.", workshop.facilitator
    )
    by_translator = lang_actions.translate_statement(
        seed, "he", "הסכרים מדאיגים אותנו.", translator
    )
    assert (by_facilitator.method, by_facilitator.review) == ("facilitator", "reviewed")
    assert (by_translator.method, by_translator.review) == ("translator", "reviewed")
    with pytest.raises(InvalidInput) as caught:
        lang_actions.translate_statement(seed, "en", "Same language", translator)
    assert caught.value.field == "language"
    with pytest.raises(InvalidInput) as caught:
        lang_actions.translate_statement(seed, "xx", "Klingon", translator)
    assert caught.value.field == "language"


def test_it_lets_translators_see_texts_but_nothing_else(workshop: Workshop) -> None:
    translator = _translator(workshop)
    assert permissions.can_translate(translator, workshop.dialogue)
    assert not permissions.can_observe(translator, workshop.dialogue)
    assert not permissions.can_facilitate(translator, workshop.dialogue)
    assert not permissions.can_see_initiative(translator, workshop.initiative)
    assert permissions.visible_dialogues(translator, workshop.initiative) == []
    with pytest.raises(NotAllowed):
        lang_actions.set_languages(workshop.dialogue, translator, show_machine=True)
    outsider = make_user("outsider")
    seed = actions.write_statement(workshop.dialogue, "Water.", user=workshop.convener)
    with pytest.raises(NotAllowed):
        lang_actions.translate_statement(seed, "ar", "ماء", outsider)


def test_it_queues_statements_others_cannot_read_yet(workshop: Workshop) -> None:
    arabic, hebrew = _arabic_and_hebrew(workshop)
    written = actions.write_statement(
        workshop.dialogue, "كتبت هذا بالعربية", participant=arabic, language="ar"
    )
    actions.moderate_statement(written, "accepted", workshop.convener)
    item = {i.statement_id: i for i in queries.queue(workshop.dialogue)}[written.pk]
    assert item.language == "ar" and item.text == "كتبت هذا بالعربية"
    assert set(item.missing) == {"en", "he"}
    assert "Heron" not in repr(item) and "Crane" not in repr(item)  # no handles
    lang_actions.translate_statement(written, "he", "כתבתי את זה בערבית", workshop.convener)
    lang_actions.translate_statement(written, "en", "I wrote this in Arabic", workshop.convener)
    assert written.pk not in {i.statement_id for i in queries.queue(workshop.dialogue)}
    assert queries.languages_of(workshop.dialogue) == ["en", "ar", "he"]
    assert queries.reading(written, "he").text == "כתבתי את זה בערבית"
    del hebrew


def test_it_keeps_ground_rules_in_each_language(workshop: Workshop) -> None:
    actions.update_ground_rules(workshop.dialogue, ["Speak for yourself."], workshop.convener)
    lang_actions.translate_ground_rules(
        workshop.dialogue, "ar", ["تحدث باسمك فقط."], workshop.convener
    )
    with translation.override("ar"):
        assert ground_rules(workshop.dialogue) == ["تحدث باسمك فقط."]
    with translation.override("he"):
        assert ground_rules(workshop.dialogue) == ["Speak for yourself."]  # no Hebrew version
    with translation.override("en"):
        assert ground_rules(workshop.dialogue) == ["Speak for yourself."]


def test_it_drops_translations_of_words_a_facilitator_edited_out(workshop: Workshop) -> None:
    arabic, _hebrew = _arabic_and_hebrew(workshop)
    written = actions.write_statement(
        workshop.dialogue, "أنا المهندس الوحيد في القرية", participant=arabic, language="ar"
    )
    actions.moderate_statement(written, "accepted", workshop.convener)
    lang_actions.translate_statement(written, "he", "אני המהנדס היחיד בכפר", workshop.convener)
    actions.moderate_statement(
        written, "accepted", workshop.convener, redacted_text="أنا من القرية"
    )
    assert not written.translations.exists()
    assert queries.reading(written, "he").text == "أنا من القرية"
    item = {i.statement_id: i for i in queries.queue(workshop.dialogue)}[written.pk]
    assert "he" in item.missing


def test_it_drops_translations_of_a_withdrawn_statement(workshop: Workshop) -> None:
    arabic, _hebrew = _arabic_and_hebrew(workshop)
    written = actions.write_statement(
        workshop.dialogue, "نص سيُسحب", participant=arabic, language="ar"
    )
    actions.moderate_statement(written, "accepted", workshop.convener)
    lang_actions.translate_statement(written, "he", "טקסט שיוסר", workshop.convener)
    actions.delete_own_statement(arabic, written.pk)
    assert not written.translations.exists()
