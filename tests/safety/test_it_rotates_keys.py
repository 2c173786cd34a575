from pathlib import Path

import pytest
from django.db import transaction
from factories import Workshop, make_workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Statement
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.practice.errors import HandleTaken
from tracktwo.safety import actions as safety_actions
from tracktwo.safety import datakeys, keys
from tracktwo.safety.crypto import DecryptionError
from tracktwo.safety.models import AuditEvent, InitiativeKey, SiteSecret

pytestmark = pytest.mark.django_db


def _populate(workshop: Workshop) -> dict[str, object]:
    joined = workshop.join("Heron", gender="woman")
    actions.record_identity(joined.participant, workshop.convener, real_name="Amal Haddad")
    statement = actions.write_statement(
        workshop.dialogue, "Open the sluice", user=workshop.convener
    )
    session = actions.start_session(workshop.dialogue, workshop.convener)
    actions.write_session_notes(session, "Quiet morning", workshop.convener)
    return {"joined": joined, "statement": statement, "session": session}


def _assert_readable(workshop: Workshop, things: dict[str, object]) -> None:
    datakeys.forget_data_keys()
    keys.forget_master_key()
    box = datakeys.box_for(workshop.initiative.pk)
    workshop.initiative.refresh_from_db()
    assert workshop.initiative.title.read(box) == "Water and the valley"
    statement = Statement.objects.get(pk=things["statement"].pk)  # type: ignore[attr-defined]
    assert statement.text.read(box) == "Open the sluice"
    joined = things["joined"]
    identity = actions.view_identity(joined.participant, workshop.convener)  # type: ignore[attr-defined]
    assert identity is not None and identity.real_name == "Amal Haddad"
    session = things["session"]
    session.refresh_from_db()  # type: ignore[attr-defined]
    assert session.notes.read(box) == "Quiet morning"  # type: ignore[attr-defined]


def test_it_rotates_the_master_key_keeping_everything_readable(
    workshop: Workshop, private_master_key: Path
) -> None:
    things = _populate(workshop)
    other = make_workshop("Second initiative")
    totp_key = keys.site_key("accounts.totp")
    old_master = keys.master_key()
    saved = bytes(InitiativeKey.objects.get(initiative=workshop.initiative).wrapped)

    rotation = safety_actions.rotate_master_key()

    assert rotation.data_keys_rewrapped == 2 and rotation.kept_old_key_at is None
    new_master = keys.read_master_key(private_master_key)
    assert new_master != old_master
    assert rotation.fingerprint == datakeys.fingerprint(new_master)
    assert set(InitiativeKey.objects.values_list("master_fingerprint", flat=True)) == {
        rotation.fingerprint
    }
    assert SiteSecret.objects.get().master_fingerprint == rotation.fingerprint
    assert sorted(p.name for p in private_master_key.parent.iterdir()) == ["master.key"]
    _assert_readable(workshop, things)
    assert other.initiative.title.read(other.box()) == "Second initiative"
    assert keys.site_key("accounts.totp") == totp_key
    with pytest.raises(DecryptionError):
        keys.unwrap_data_key(saved, workshop.initiative.pk, 1, new_master)
    assert AuditEvent.objects.filter(action="keys.master_rotated", actor_id="operator").exists()


def test_it_keeps_the_old_master_key_only_when_asked(
    workshop: Workshop, private_master_key: Path
) -> None:
    old_master = keys.master_key()
    rotation = datakeys.rotate_master_key(keep_old=True)
    assert rotation.kept_old_key_at is not None
    assert rotation.kept_old_key_at.name.startswith("master.key.old-")
    assert keys.read_master_key(rotation.kept_old_key_at) == old_master
    assert rotation.kept_old_key_at.stat().st_mode & 0o077 == 0


def test_it_finishes_a_rotation_interrupted_before_the_commit(
    workshop: Workshop, private_master_key: Path
) -> None:
    things = _populate(workshop)
    old_master = keys.master_key()
    # The process died after moving the new key into place but before committing.
    keys.write_master_key(private_master_key.with_name("master.key.prev"), old_master)
    keys.write_master_key(private_master_key, datakeys.new_key())
    _assert_readable(workshop, things)
    datakeys.rotate_master_key()
    assert sorted(p.name for p in private_master_key.parent.iterdir()) == ["master.key"]
    _assert_readable(workshop, things)


def test_it_ignores_a_new_key_left_behind_before_the_commit(
    workshop: Workshop, private_master_key: Path
) -> None:
    things = _populate(workshop)
    keys.write_master_key(private_master_key.with_name("master.key.next"), datakeys.new_key())
    _assert_readable(workshop, things)
    datakeys.rotate_master_key()
    _assert_readable(workshop, things)


def test_it_leaves_the_old_key_in_place_when_rotation_fails(
    workshop: Workshop, private_master_key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    things = _populate(workshop)
    before = private_master_key.read_bytes()
    real_write = keys.write_master_key

    def failing_write(path: Path, key: bytes) -> None:
        if path.name.endswith(".prev"):
            raise OSError(28, "No space left on device")
        real_write(path, key)

    monkeypatch.setattr(keys, "write_master_key", failing_write)
    with pytest.raises(OSError, match="No space"):
        datakeys.rotate_master_key()
    assert private_master_key.read_bytes() == before
    assert sorted(p.name for p in private_master_key.parent.iterdir()) == ["master.key"]
    _assert_readable(workshop, things)


def test_it_rotates_one_initiatives_data_key_and_reseals_its_rows(workshop: Workshop) -> None:
    things = _populate(workshop)
    other = make_workshop("Untouched")
    other_key = bytes(InitiativeKey.objects.get(initiative=other.initiative).wrapped)
    stale = workshop.box()
    statement_before = bytes(Statement.objects.get(pk=things["statement"].pk).text_sealed)  # type: ignore[attr-defined]

    rotation = initiative_actions.rotate_initiative_key(workshop.initiative, workshop.convener)

    assert rotation.version == 2 and rotation.values_resealed >= 8
    fresh = workshop.box()
    assert fresh.version == 2
    statement = Statement.objects.get(pk=things["statement"].pk)  # type: ignore[attr-defined]
    assert bytes(statement.text_sealed) != statement_before
    with pytest.raises(DecryptionError, match="rotated"):
        stale.open_text(statement.text_sealed, Statement.text.where)
    _assert_readable(workshop, things)
    with pytest.raises(HandleTaken):
        workshop.join("HERON")
    joined = things["joined"]
    recovered = actions.recover(workshop.dialogue, "heron", joined.recovery_code)  # type: ignore[attr-defined]
    assert recovered.participant.pk == joined.participant.pk  # type: ignore[attr-defined]
    assert bytes(InitiativeKey.objects.get(initiative=other.initiative).wrapped) == other_key
    event = AuditEvent.objects.get(action="keys.initiative_rotated")
    assert event.details["version"] == 2


def test_it_lets_only_conveners_rotate_an_initiatives_key(workshop: Workshop) -> None:
    from tracktwo.practice.errors import NotAllowed

    with pytest.raises(NotAllowed):
        initiative_actions.rotate_initiative_key(workshop.initiative, make_workshop("X").convener)


def test_it_seals_new_values_under_the_rotated_key(workshop: Workshop) -> None:
    datakeys.rotate_initiative_key(workshop.initiative.pk)
    statement = actions.write_statement(workshop.dialogue, "After", user=workshop.convener)
    with transaction.atomic():
        box = datakeys.box_for_sealing(workshop.initiative.pk)
    assert box.version == 2
    assert statement.text.read(workshop.box()) == "After"


def test_it_notices_a_rotation_made_by_another_process(
    workshop: Workshop, private_master_key: Path
) -> None:
    things = _populate(workshop)
    workshop.box()  # this process now caches the old master key and the data key
    new_master = datakeys.new_key()
    # Another process rotates: re-wraps under a new key and replaces the file.
    with transaction.atomic():
        datakeys._rewrap_all(new_master)
    keys.write_master_key(private_master_key, new_master)
    box = datakeys.box_for(workshop.initiative.pk)  # no cache cleared here
    assert things["statement"].text.read(box) == "Open the sluice"  # type: ignore[attr-defined]
    assert keys.master_key() == new_master
