from datetime import UTC, datetime

import pytest
from django.utils import translation
from factories import Workshop, make_user, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.queries import reading
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed
from tracktwo.practice.formats import (
    CHATHAM_HOUSE_RULE,
    TEMPLATES,
    DialogueFormat,
    Track,
    regime_text,
)

pytestmark = pytest.mark.django_db


def test_it_quotes_the_chatham_house_rule_exactly() -> None:
    with translation.override("en"):
        assert str(CHATHAM_HOUSE_RULE) == (
            "When a meeting, or part thereof, is held under the Chatham House Rule, participants "
            "are free to use the information received, but neither the identity nor the "
            "affiliation of the speaker(s), nor that of any other participant, may be revealed."
        )
        assert regime_text("chatham-house") == str(CHATHAM_HOUSE_RULE)


def test_it_has_a_template_for_every_format() -> None:
    assert set(TEMPLATES) == set(DialogueFormat.values)
    workshop = TEMPLATES["problem-solving-workshop"]
    assert workshop.phase_keys() == [
        "needs-and-fears",
        "joint-thinking",
        "constraints",
        "overcoming-constraints",
        "next-steps",
    ]
    assert [p.criticism_held_back for p in workshop.phases] == [True, True, False, False, False]
    sustained = TEMPLATES["sustained-dialogue"]
    assert [str(p.name) for p in sustained.phases] == [
        "Deciding to engage",
        "Mapping and naming",
        "Probing problems and relationships",
        "Scenario building",
        "Acting together",
    ]
    for template in TEMPLATES.values():
        rules = [str(rule) for rule in template.ground_rules]
        assert any(rule.startswith("No fault") for rule in rules)
        assert any(rule.startswith("Equal weight") for rule in rules)
        assert any(rule.startswith("No interrupting") for rule in rules)
        assert any(rule.startswith("No attribution") for rule in rules)
        assert any(rule.startswith("Ask rather than attack") for rule in rules)
    assert len(Track.values) == 9
    assert Track(9).label == "Communications and media"


def test_it_advances_a_session_through_the_agenda(workshop: Workshop) -> None:
    starts = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    session = actions.start_session(workshop.dialogue, workshop.convener, starts_at=starts)
    assert session.number == 1 and session.phase_index == 0 and session.saunders_stage is None
    assert session.starts_at.read(workshop.box()) == starts.isoformat()
    for expected in range(1, 5):
        actions.advance_phase(session, workshop.convener)
        assert session.phase_index == expected
    with pytest.raises(Conflict):
        actions.advance_phase(session, workshop.convener)
    actions.set_phase(session, 1, workshop.convener)
    with pytest.raises(InvalidInput):
        actions.set_phase(session, 5, workshop.convener)
    with pytest.raises(NotAllowed):
        actions.advance_phase(session, make_user())
    second = actions.start_session(workshop.dialogue, workshop.convener)
    assert second.number == 2 and second.phase_index == 0


def test_it_files_statements_under_the_current_phase(workshop: Workshop) -> None:
    session = actions.start_session(workshop.dialogue, workshop.convener)
    actions.advance_phase(session, workshop.convener)
    statement = actions.write_statement(workshop.dialogue, "Idea", user=workshop.convener)
    assert statement.session_id == session.pk and statement.phase_index == 1


def test_it_tracks_saunders_stages_across_meetings() -> None:
    series = make_workshop(format="sustained-dialogue")
    first = actions.start_session(series.dialogue, series.convener)
    assert first.saunders_stage == 1
    actions.advance_phase(first, series.convener)
    actions.advance_phase(first, series.convener)
    assert first.saunders_stage == 3
    second = actions.start_session(series.dialogue, series.convener)
    assert (second.number, second.saunders_stage) == (2, 3)


def test_it_keeps_facilitator_notes_sealed(workshop: Workshop) -> None:
    session = actions.start_session(workshop.dialogue, workshop.convener)
    actions.write_session_notes(session, "Tension between B and K.", workshop.convener)
    session.refresh_from_db()
    assert session.notes.read(workshop.box()) == "Tension between B and K."
    assert b"Tension" not in bytes(session.notes_sealed)
    with pytest.raises(NotAllowed):
        actions.write_session_notes(session, "x", make_user())


def test_it_shows_default_ground_rules_in_the_readers_language(workshop: Workshop) -> None:
    view = reading.dialogue_view(workshop.dialogue)
    assert view.ground_rules[0].startswith("No fault")
    assert view.regime_text.startswith("When a meeting")
    assert [p.key for p in view.phases] == workshop.dialogue.phases
    actions.update_ground_rules(workshop.dialogue, ["Our own rule."], workshop.convener)
    assert reading.ground_rules(workshop.dialogue) == ["Our own rule."]


def test_it_shares_results_on_purpose_and_logs_it(workshop: Workshop) -> None:
    from tracktwo.safety.models import AuditEvent

    # The audit log keeps what earlier tests wrote (append-only, flush leaves it): look after.
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    actions.share_results(workshop.dialogue, True, workshop.convener)
    actions.share_results(workshop.dialogue, True, workshop.convener)
    workshop.dialogue.refresh_from_db()
    assert workshop.dialogue.results_shared
    assert AuditEvent.objects.filter(action="results.shared", id__gt=before).count() == 1
    with pytest.raises(NotAllowed):
        actions.share_results(workshop.dialogue, False, make_user())


def test_it_carries_back_channel_messages_sealed(workshop: Workshop) -> None:
    upstream, downstream = workshop.parties
    message = initiative_actions.send_back_channel_message(
        workshop.initiative, upstream, downstream, "We could meet in May.", workshop.convener
    )
    assert message.body.read(workshop.box()) == "We could meet in May."
    with pytest.raises(InvalidInput):
        initiative_actions.send_back_channel_message(
            workshop.initiative, upstream, upstream, "Self", workshop.convener
        )
    with pytest.raises(NotAllowed):
        initiative_actions.send_back_channel_message(
            workshop.initiative, upstream, downstream, "x", make_user()
        )
