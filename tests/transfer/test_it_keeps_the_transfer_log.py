"""The transfer log and Track One events: sealed, audited, named by role never by name,
kept by conveners and initiative-wide facilitators; the timeline puts dialogue sessions
beside Track One events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from factories import LEAD_FACILITATOR, assess_tool
from transfer_support import CANARY_HANDLES, CANARY_NAMES, Scenario, make_scenario

from tracktwo.accounts.actions import issue_token
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.practice.errors import InvalidInput, NotAllowed
from tracktwo.safety.models import AuditEvent
from tracktwo.transfer import actions, log
from tracktwo.transfer.models import TrackOneEvent, TransferEntry

pytestmark = pytest.mark.django_db

ENTRY = {
    "conveyed_on": "2025-03-14",
    "channel": "meeting",
    "conveyor_kind": "facilitator",
    "conveyed_by": "The lead facilitator",
    "idea": "Joint monitoring of the river",
    "body": "Ministry of Water, Downstream",
    "reaction": "Interested; asked for a technical annex.",
    "follow_up": "Send the annex",
    "follow_up_due": "2025-04-01",
}


@pytest.fixture
def keeper(scenario: Scenario) -> User:
    """A facilitator of the whole initiative (the scenario's facilitator runs one dialogue)."""
    return scenario.cast(LEAD_FACILITATOR).lead_facilitator


def _api(user: object) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'test')[1]}")


def test_it_logs_and_lists_transfers_through_the_api(scenario: Scenario, keeper: User) -> None:
    client = _api(keeper)
    url = f"/api/v1/initiatives/{scenario.initiative.pk}/transfer-log"
    later = {**ENTRY, "conveyed_on": "2025-05-02", "idea": "A second idea", "channel": "memo"}
    assert client.post(url, later, content_type="application/json").status_code == 201
    created = client.post(url, ENTRY, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["reaction"] == ENTRY["reaction"]
    listed = client.get(url).json()
    assert [e["idea"] for e in listed] == ["Joint monitoring of the river", "A second idea"]
    patched = client.patch(
        f"/api/v1/transfer-log/{created.json()['id']}",
        {"follow_up_done": True, "reaction": "Annex well received."},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["follow_up_done"] is True
    assert patched.json()["idea"] == ENTRY["idea"]
    actions_seen = list(
        AuditEvent.objects.filter(target_type="transfer").values_list("action", flat=True)
    )
    assert actions_seen == ["transfer.logged", "transfer.logged", "transfer.updated"]
    raw = b"".join(bytes(e.text_sealed) for e in TransferEntry.objects.all())
    assert b"Ministry of Water" not in raw and b"2025-03-14" not in raw


def test_it_links_an_issued_brief(scenario: Scenario, keeper: User) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    with pytest.raises(InvalidInput, match="issued brief"):
        log.log_transfer(scenario.initiative, keeper, **ENTRY, brief=brief.pk)
    actions.issue(brief, scenario.facilitator, [(scenario.liaisons[0], "")])
    entry = log.log_transfer(scenario.initiative, keeper, **ENTRY, brief=brief.pk)
    assert log.entry_view(entry).brief_id == brief.pk


@pytest.mark.parametrize("name", [CANARY_HANDLES[2], CANARY_NAMES[0].lower()])
def test_it_refuses_entries_that_name_a_participant(
    scenario: Scenario, keeper: User, name: str
) -> None:
    with pytest.raises(InvalidInput, match="names a participant") as error:
        log.log_transfer(
            scenario.initiative,
            keeper,
            **{**ENTRY, "conveyed_by": f"{name} (Upstream)"},
        )
    assert error.value.field == "conveyed_by"
    assert name not in str(error.value)
    response = _api(keeper).post(
        f"/api/v1/initiatives/{scenario.initiative.pk}/track-one-events",
        {"happened_on": "2025-01-01", "body": "Talks", "description": f"{name} attended"},
        content_type="application/json",
    )
    assert response.status_code == 400 and name not in response.content.decode()
    assert not TransferEntry.objects.exists() and not TrackOneEvent.objects.exists()


def test_it_keeps_the_log_to_conveners_and_initiative_wide_facilitators(
    scenario: Scenario, keeper: User
) -> None:
    url = f"/api/v1/initiatives/{scenario.initiative.pk}/transfer-log"
    assert _api(keeper).get(url).status_code == 200
    assert _api(scenario.convener).get(url).status_code == 200
    assert _api(scenario.facilitator).get(url).status_code == 403  # runs one dialogue only
    assert _api(scenario.observer).get(url).status_code == 403
    assert _api(scenario.liaisons[0]).get(url).status_code == 403
    assert _api(make_scenario().convener).get(url).status_code == 404
    for outsider in (scenario.observer, scenario.facilitator):
        with pytest.raises(NotAllowed):
            log.log_transfer(scenario.initiative, outsider, **ENTRY)
        with pytest.raises(NotAllowed):
            log.timeline(scenario.initiative, outsider)
    bad = _api(scenario.convener).post(
        url, {**ENTRY, "conveyed_on": "14/03/2025"}, content_type="application/json"
    )
    assert bad.status_code in (400, 422) and "detail" in bad.json()


def test_it_keeps_a_secret_meeting_from_a_facilitator_of_another_dialogue(db: None) -> None:
    scenario = make_scenario()
    secret = dialogue_actions.create_dialogue(
        scenario.initiative, "Back room", "track-one-and-a-half", "secret", scenario.convener
    )
    dialogue_actions.start_session(secret, scenario.convener)
    brief = actions.draft_for(secret, None, scenario.convener)
    assess_tool(secret, scenario.convener, "briefs")
    actions.issue(brief, scenario.convener, [(scenario.liaisons[0], "")])
    log.log_transfer(scenario.initiative, scenario.convener, **ENTRY, brief=brief.pk)
    client = Client()
    client.force_login(scenario.facilitator)
    base = f"/initiatives/{scenario.initiative.pk}"
    hub = client.get(f"{base}/transfer")
    assert hub.status_code == 200
    assert "Back room" not in hub.content.decode()
    assert "transfer-log" not in hub.content.decode()  # no link to what it may not open
    for path in ("/transfer-log", "/timeline"):
        response = client.get(base + path)
        assert response.status_code == 403
        assert "Back room" not in response.content.decode()


def test_it_puts_sessions_beside_track_one_events(scenario: Scenario, keeper: User) -> None:
    dialogue_actions.start_session(
        scenario.dialogue, scenario.facilitator, starts_at=datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    )
    log.add_track_one_event(
        scenario.initiative,
        scenario.convener,
        happened_on="2025-03-12",
        body="UN-facilitated talks",
        description="First round of official talks opens.",
    )
    log.log_transfer(scenario.initiative, keeper, **ENTRY)
    rows = [
        (row.on, row.side, row.kind)
        for row in log.timeline(scenario.initiative, keeper)
        if row.on.year == 2025
    ]
    assert rows == [
        (date(2025, 3, 10), "dialogue", "session"),
        (date(2025, 3, 12), "track-one", "event"),
        (date(2025, 3, 14), "dialogue", "transfer"),
    ]
    client = Client()
    client.force_login(keeper)
    page = client.get(f"/initiatives/{scenario.initiative.pk}/timeline").content.decode()
    assert (
        page.index("2025-03-10")
        < page.index("First round of official talks")
        < page.index("2025-03-14")
    )


def test_it_shows_a_secret_dialogue_only_to_those_who_may_observe_it(db: None) -> None:
    scenario = make_scenario()
    secret = dialogue_actions.create_dialogue(
        scenario.initiative, "Back room", "track-one-and-a-half", "secret", scenario.convener
    )
    dialogue_actions.start_session(secret, scenario.convener)
    convener_rows = log.timeline(scenario.initiative, scenario.convener)
    assert any("Back room" in row.text and "(secret)" in row.text for row in convener_rows)
    with pytest.raises(NotAllowed):
        log.timeline(scenario.initiative, scenario.facilitator)


def test_it_runs_the_log_pages(scenario: Scenario) -> None:
    client = Client()
    client.force_login(scenario.convener)
    url = f"/initiatives/{scenario.initiative.pk}/transfer-log"
    response = client.post(url, {"action": "log", **ENTRY})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(url, {"action": "model", "transfer_model": "middle-out"})
    assert response.status_code == 302
    scenario.initiative.refresh_from_db()
    assert scenario.initiative.transfer_model == "middle-out"
    page = client.get(url).content.decode()
    assert "Ministry of Water, Downstream" in page and "Middle-out" in page
    entry = TransferEntry.objects.get()
    edit = client.post(
        f"/transfer-log/{entry.pk}/edit", {**ENTRY, "reaction": "Positive.", "follow_up_done": "on"}
    )
    assert edit.status_code == 302
    entry.refresh_from_db()
    assert log.entry_view(entry).follow_up_done is True
    assert log.entry_view(entry).reaction == "Positive."
    refused = client.post(url, {"action": "log", **ENTRY, "conveyed_by": CANARY_HANDLES[5]})
    assert refused.status_code == 200 and "names a participant" in refused.content.decode()
    hub = client.get(f"/initiatives/{scenario.initiative.pk}/transfer")
    assert hub.status_code == 200 and "Trace a leaked copy" in hub.content.decode()
    observer = Client()
    observer.force_login(scenario.observer)
    assert observer.get(url).status_code == 403
