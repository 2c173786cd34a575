import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import Workshop, make_user, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Notice, Statement, Vote
from tracktwo.dialogues.queries import reading
from tracktwo.practice.errors import (
    Conflict,
    GroundRulesNotAccepted,
    InvalidInput,
    NotAllowed,
    NotFound,
    StatementNotAccepted,
)
from tracktwo.safety.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_accepts_facilitator_seeds_at_once(workshop: Workshop) -> None:
    seed = actions.write_statement(
        workshop.dialogue, "  Water is shared.  ", user=workshop.convener
    )
    assert seed.is_seed and seed.moderation == "accepted"
    assert seed.text.read(workshop.box()) == "Water is shared."
    with pytest.raises(NotAllowed):
        actions.write_statement(workshop.dialogue, "Intruder", user=make_user())


def test_it_holds_participants_statements_for_moderation(workshop: Workshop) -> None:
    participant = workshop.join("Heron").participant
    statement = actions.write_statement(
        workshop.dialogue, "Dams worry us.", participant=participant
    )
    assert statement.moderation == "pending" and not statement.is_seed
    relaxed = make_workshop("Relaxed", moderation_required=False)
    other = relaxed.join("Crane").participant
    assert actions.write_statement(relaxed.dialogue, "Fine.", participant=other).moderation == (
        "accepted"
    )


@pytest.mark.parametrize(("text", "ok"), [("x" * 1000, True), ("x" * 1001, False), ("  ", False)])
def test_it_limits_statements_to_1000_characters(workshop: Workshop, text: str, ok: bool) -> None:
    participant = workshop.join("Heron").participant
    if ok:
        actions.write_statement(workshop.dialogue, text, participant=participant)
        return
    with pytest.raises(InvalidInput) as caught:
        actions.write_statement(workshop.dialogue, text, participant=participant)
    assert caught.value.field == "text"


def test_it_needs_exactly_one_author(workshop: Workshop) -> None:
    participant = workshop.join("Heron").participant
    with pytest.raises(InvalidInput):
        actions.write_statement(
            workshop.dialogue, "Both", participant=participant, user=workshop.convener
        )
    with pytest.raises(InvalidInput):
        actions.write_statement(workshop.dialogue, "Neither")


def test_it_keeps_observers_and_outsiders_from_writing(workshop: Workshop) -> None:
    _, token = actions.create_invitation(
        workshop.dialogue, party=workshop.parties[0], role="observer", by=workshop.convener
    )
    observer = actions.join(token, "Watcher", True).participant
    with pytest.raises(NotAllowed):
        actions.write_statement(workshop.dialogue, "Hello", participant=observer)
    stranger = make_workshop("Other").join("Stranger").participant
    with pytest.raises(NotAllowed):
        actions.write_statement(workshop.dialogue, "Hello", participant=stranger)


def test_it_asks_for_new_ground_rules_to_be_accepted(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    version = actions.update_ground_rules(workshop.dialogue, ["Be brief."], workshop.convener)
    participant = actions.participant_by_token(joined.token)
    with pytest.raises(GroundRulesNotAccepted) as caught:
        actions.cast_vote(participant, seed.pk, 1)
    assert caught.value.http_status == 400
    with pytest.raises(GroundRulesNotAccepted):
        actions.write_statement(workshop.dialogue, "Mine", participant=participant)
    with pytest.raises(InvalidInput):
        actions.accept_ground_rules(participant, version - 1)
    actions.accept_ground_rules(participant, version)
    actions.cast_vote(actions.participant_by_token(joined.token), seed.pk, 1)


def test_it_moderates_redacts_and_tells_the_author_privately(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    statement = actions.write_statement(
        workshop.dialogue, "As the mayor of Eastbank I say no.", participant=joined.participant
    )
    # The audit log keeps what earlier tests wrote (append-only, flush leaves it): look after.
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    actions.moderate_statement(
        statement, "accepted", workshop.convener, redacted_text="As a local official I say no."
    )
    statement.refresh_from_db()
    assert statement.redacted and statement.moderation == "accepted"
    assert statement.text.read(workshop.box()) == "As a local official I say no."
    notices = reading.notices_for(actions.participant_by_token(joined.token))
    assert [n.kind for n in notices] == ["statement-redacted"]
    assert "local official" in notices[0].body
    assert Notice.objects.get().read_at is None  # reading changes nothing
    assert actions.mark_notices_read(joined.participant) == 1
    assert Notice.objects.get().read_at is not None
    assert reading.notices_for(joined.participant)[0].read
    event = AuditEvent.objects.get(action="statement.moderated", id__gt=before)
    assert event.details == {"state": "accepted", "redacted": True}
    assert joined.participant.public_id not in str(event.details)
    actions.moderate_statement(statement, "rejected", workshop.convener)
    assert Notice.objects.filter(kind="statement-rejected").count() == 1
    with pytest.raises(InvalidInput):
        actions.moderate_statement(statement, "maybe", workshop.convener)
    with pytest.raises(NotAllowed):
        actions.moderate_statement(statement, "accepted", make_user())


def test_it_lets_authors_delete_their_own_statements_only(workshop: Workshop) -> None:
    author = workshop.join("Heron").participant
    other = workshop.join("Crane").participant
    statement = actions.write_statement(workshop.dialogue, "Mine", participant=author)
    with pytest.raises(NotFound):
        actions.delete_own_statement(other, statement.pk)
    actions.delete_own_statement(author, statement.pk)
    with pytest.raises(NotFound):
        actions.delete_own_statement(author, statement.pk)
    with pytest.raises(Conflict):
        actions.moderate_statement(
            Statement.objects.get(pk=statement.pk), "accepted", workshop.convener
        )


def test_it_appends_votes_and_keeps_history(workshop: Workshop) -> None:
    joined = workshop.join("Heron")
    participant = actions.participant_by_token(joined.token)
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    actions.cast_vote(participant, seed.pk, 1)
    actions.cast_vote(participant, seed.pk, -1)
    actions.cast_vote(participant, seed.pk, 0)
    values = list(
        Vote.objects.filter(participant=participant).order_by("id").values_list("value", flat=True)
    )
    assert values == [1, -1, 0]


def test_it_refuses_votes_on_statements_not_open_for_voting(workshop: Workshop) -> None:
    participant = actions.participant_by_token(workshop.join("Heron").token)
    pending = actions.write_statement(workshop.dialogue, "Pending", participant=participant)
    rejected = actions.write_statement(workshop.dialogue, "Rejected", participant=participant)
    actions.moderate_statement(rejected, "rejected", workshop.convener)
    deleted = actions.write_statement(workshop.dialogue, "Deleted", user=workshop.convener)
    Statement.objects.filter(pk=deleted.pk).update(deleted_at="2020-01-01T00:00:00Z")
    elsewhere = make_workshop("Other")
    foreign = actions.write_statement(elsewhere.dialogue, "Foreign", user=elsewhere.convener)
    for statement_id in (pending.pk, rejected.pk, deleted.pk, foreign.pk, 999_999):
        with pytest.raises(StatementNotAccepted) as caught:
            actions.cast_vote(participant, statement_id, 1)
        assert caught.value.http_status == 409
    assert not Vote.objects.exists()


@pytest.mark.parametrize("value", [2, -2, True, "1", 1.0])
def test_it_refuses_votes_that_are_not_a_sign(workshop: Workshop, value: object) -> None:
    participant = actions.participant_by_token(workshop.join("Heron").token)
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    with pytest.raises(InvalidInput):
        actions.cast_vote(participant, seed.pk, value)  # type: ignore[arg-type]


def test_it_casts_a_vote_with_one_lookup_and_one_insert(workshop: Workshop) -> None:
    participant = actions.participant_by_token(workshop.join("Heron").token)
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    with CaptureQueriesContext(connection) as captured:
        actions.cast_vote(participant, seed.pk, 1)
    statements = [
        q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"].upper()
    ]
    assert len(statements) == 2, statements
    assert statements[0].upper().startswith("SELECT")
    assert statements[1].upper().startswith("INSERT")


def test_it_stops_a_withdrawn_participant(workshop: Workshop) -> None:
    participant = actions.participant_by_token(workshop.join("Heron").token)
    seed = actions.write_statement(workshop.dialogue, "Seed", user=workshop.convener)
    actions.cast_vote(participant, seed.pk, 1)
    actions.withdraw(participant, remove_contributions=True)
    with pytest.raises(NotAllowed):
        actions.cast_vote(participant, seed.pk, 1)
    assert not Vote.objects.exists()


def test_it_lists_unvoted_statements_without_authors(workshop: Workshop) -> None:
    participant = actions.participant_by_token(workshop.join("Heron").token)
    first = actions.write_statement(workshop.dialogue, "One", user=workshop.convener)
    second = actions.write_statement(workshop.dialogue, "Two", user=workshop.convener)
    actions.cast_vote(participant, first.pk, 0)
    assert reading.unvoted_statement_ids(participant) == [second.pk]
    views = reading.statements(workshop.dialogue, states=("accepted",))
    assert [v.text for v in views] == ["One", "Two"]
    assert not any(hasattr(v, "author") for v in views)
