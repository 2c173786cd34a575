import pytest
from django.db import DatabaseError, connection, transaction
from factories import Workshop

from tracktwo.safety.audit import Actor, AuditDetailError, events_for, record
from tracktwo.safety.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db


def _event() -> AuditEvent:
    return record(
        "identity.viewed",
        actor=Actor.operator(),
        initiative_id=7,
        target_type="participant",
        target_id="p0a1b2c3",
        details={"found": True, "count": 3},
    )


def test_it_records_who_did_what_by_opaque_ids(workshop: Workshop) -> None:
    events = events_for(workshop.initiative.pk)
    assert [e.action for e in events][:2] == ["initiative.created", "member.role_changed"]
    assert events[0].actor_kind == "user" and events[0].actor_id == str(workshop.convener.pk)
    # The audit log keeps what earlier tests wrote (append-only, flush leaves it): look after.
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    joined = workshop.join("Heron")
    event = AuditEvent.objects.get(action="participant.joined", id__gt=before)
    assert event.actor_kind == "participant"
    assert event.actor_id == joined.participant.public_id
    assert "Heron" not in str(AuditEvent.objects.values_list())


@pytest.mark.parametrize(
    "details",
    [
        {"title": "Water and the Valley"},
        {"note": "free text with spaces"},
        {"handle": "Heron"},
        {"nested": {"a": 1}},
        {"Bad Key": 1},
    ],
)
def test_it_refuses_free_text_in_details(details: dict) -> None:
    with pytest.raises(AuditDetailError):
        record("x.done", actor=Actor.system(), details=details)


def test_it_refuses_odd_actions_and_targets() -> None:
    with pytest.raises(AuditDetailError):
        record("Viewed the identity of Amal", actor=Actor.system())
    with pytest.raises(AuditDetailError):
        record("identity.viewed", actor=Actor.system(), target_id="Amal Haddad")


def test_it_cannot_be_changed_or_deleted_through_the_orm() -> None:
    event = _event()
    event.action = "nothing.happened"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "identity.viewed"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE safety_auditevent SET action = 'nothing.happened' WHERE id = %s",
        "UPDATE safety_auditevent SET details = '{}' WHERE id = %s",
        "DELETE FROM safety_auditevent WHERE id = %s",
    ],
)
def test_it_cannot_be_changed_or_deleted_even_with_raw_sql(sql: str) -> None:
    event = _event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "identity.viewed"


def test_it_cannot_be_emptied_at_once_with_raw_sql() -> None:
    _event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM safety_auditevent")
    assert AuditEvent.objects.exists()


@pytest.mark.postgres_only
def test_it_cannot_be_truncated_on_postgresql() -> None:
    _event()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE safety_auditevent")
    assert AuditEvent.objects.exists()


def test_it_is_left_alone_by_django_flush() -> None:
    flushed = connection.introspection.django_table_names(only_existing=True)
    assert "safety_auditevent" not in flushed
    assert "dialogues_statement" in flushed
