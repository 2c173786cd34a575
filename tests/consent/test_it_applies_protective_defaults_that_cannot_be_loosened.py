"""Each protective default applies at its level, and nobody can set it looser: at high the
small-cell threshold rises to 8 and retention falls to 90 days, briefs withhold the dates
and carry no back-channel exchange verbatim, exports are off, the quick exit and a decoy
title are on every page of the dialogue, the facilitators' live view is batched; at severe
the meeting becomes secret. A convener's floor makes them stricter, never looser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from consent_support import Room
from django.test import Client
from factories import assess_tool

from tracktwo.consent.actions import give_consent, set_floor, set_risk_profile
from tracktwo.consent.gates import effective_protections, require_verbatim_allowed
from tracktwo.dialogues import actions
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.insight import chains
from tracktwo.insight.refresh import refresh_dialogue
from tracktwo.practice.errors import Conflict, InvalidInput
from tracktwo.transfer.content import build_content, default_narrative


def _raise_to(room: Room, level: str) -> None:
    set_risk_profile(room.participants[3], {"level": level})


def test_it_raises_the_threshold_and_shortens_retention_at_high(room: Room) -> None:
    convener = room.workshop.convener
    _raise_to(room, "elevated")
    assert room.dialogue.small_cell_threshold == 5  # elevated: no change
    _raise_to(room, "high")
    dialogue = room.dialogue
    dialogue.initiative.refresh_from_db()
    assert dialogue.small_cell_threshold == 8
    assert dialogue.initiative.retention_days == 90
    with pytest.raises(InvalidInput, match="cannot be below 8") as lower:
        actions.update_dialogue(dialogue, convener, small_cell_threshold=5)
    assert lower.value.field == "small_cell_threshold"
    assert actions.update_dialogue(dialogue, convener, small_cell_threshold=12)
    with pytest.raises(InvalidInput, match="at most 90 days"):
        initiative_actions.update_initiative(dialogue.initiative, convener, retention_days=365)
    initiative_actions.update_initiative(dialogue.initiative, convener, retention_days=20)
    assert room.dialogue.confidentiality == "chatham-house"  # not yet secret


def test_it_makes_the_meeting_secret_at_severe(room: Room) -> None:
    _raise_to(room, "high")
    set_risk_profile(room.participants[5], {"level": "severe"})  # each raise asks again
    dialogue = room.dialogue
    assert dialogue.consent_version == 3
    dialogue.initiative.refresh_from_db()
    assert dialogue.confidentiality == "secret"
    assert dialogue.small_cell_threshold == 10
    assert dialogue.initiative.retention_days == 30


def test_it_withholds_dates_exchanges_and_exports_from_briefs_at_high(room: Room) -> None:
    workshop = room.workshop
    assess_tool(room.dialogue, workshop.convener)
    moment = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
    actions.start_session(room.dialogue, workshop.facilitator, starts_at=moment)
    box = workshop.box()
    narrative = default_narrative(room.dialogue, box)
    assert build_content(room.dialogue, None, narrative, box).dates == "2026-03-14"
    require_verbatim_allowed(room.dialogue)  # low: allowed
    _raise_to(room, "high")
    assess_tool(room.dialogue, workshop.convener)  # reassessed at the new level
    content = build_content(room.dialogue, None, narrative, box)
    assert content.dates == "withheld (the participants' risk)"
    with pytest.raises(Conflict, match="verbatim"):
        require_verbatim_allowed(room.dialogue)
    refused = room.call(
        "GET",
        f"/dialogues/{room.dialogue.pk}/export/polis",
        room.token_of(workshop.convener),
    )
    assert refused.status == 409 and "exports are off" in refused.body["detail"]


def test_it_puts_quick_exit_and_a_decoy_title_on_every_page_at_high(room: Room) -> None:
    page = Client()
    page.force_login(room.workshop.facilitator)
    overview = f"/dialogues/{room.dialogue.pk}/"
    before = page.get(overview).content.decode()
    assert "data-quick-exit" not in before and "<title>Notes</title>" not in before
    _raise_to(room, "high")
    after = page.get(overview).content.decode()
    assert "data-quick-exit" in after and "<title>Notes</title>" in after


def test_it_batches_the_facilitators_live_view_at_high(room: Room) -> None:
    pk = room.dialogue.pk
    first = room.statements[0].pk
    actions.cast_vote(room.participants[1], first, 1)  # 25 vote rows
    refresh_dialogue(pk)
    assert chains.entry(pk).chains["facilitator"].n_events == 25  # every single vote
    _raise_to(room, "high")  # threshold 8: whole batches of 8 only
    for person in room.participants:  # the terms changed: everyone consents again
        give_consent(person, room.dialogue.consent_version)
    actions.cast_vote(room.participants[2], first, -1)  # 26: not shown alone
    refresh_dialogue(pk)
    assert chains.entry(pk).chains["facilitator"].n_events == 25
    for person in room.participants:  # 32: a whole batch
        actions.cast_vote(person, room.statements[1].pk, 1)
    refresh_dialogue(pk)
    assert chains.entry(pk).chains["facilitator"].n_events == 32


def test_it_lets_a_convener_raise_the_floor_but_never_below_the_members(room: Room) -> None:
    convener = room.workshop.convener
    set_floor(convener, room.dialogue, "high")
    assert effective_protections(room.dialogue).level == "high"
    assert room.dialogue.small_cell_threshold == 8
    set_floor(convener, room.dialogue, "low")  # the stored settings stay raised
    assert room.dialogue.small_cell_threshold == 8
    _raise_to(room, "severe")
    set_floor(convener, room.dialogue, "low")
    assert effective_protections(room.dialogue).level == "severe"
    with pytest.raises(Exception, match=r"convene|may not"):
        set_floor(room.workshop.facilitator, room.dialogue, "low")
