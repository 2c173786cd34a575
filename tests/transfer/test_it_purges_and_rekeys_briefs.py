"""Briefs under retention and key rotation: a purge takes a dialogue's briefs with it (the
transfer log keeps its entries); a rotated key leaves every brief and entry readable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from transfer_support import Scenario

from tracktwo.practice.errors import NotFound
from tracktwo.safety.models import AuditEvent
from tracktwo.safety.retention import purge_expired
from tracktwo.transfer import actions, log
from tracktwo.transfer.models import Brief, BriefRecipient, TransferEntry

pytestmark = pytest.mark.django_db


def test_it_deletes_drafts_and_issued_copies_on_purge(scenario: Scenario) -> None:
    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    (copy,) = actions.issue(brief, scenario.facilitator, [(scenario.liaisons[0], "")])
    actions.draft_for(scenario.dialogue, scenario.session, scenario.facilitator)
    actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    entry = log.log_transfer(
        scenario.initiative,
        scenario.convener,
        conveyed_on="2025-03-14",
        channel="memo",
        conveyor_kind="convener",
        conveyed_by="The conveners",
        idea="The brief",
        body="Ministry",
        brief=brief.pk,
    )
    later = timezone.now() + timedelta(days=scenario.initiative.retention_days + 1)
    purged = purge_expired(later)
    assert [p.dialogue_id for p in purged] == [scenario.dialogue.pk]
    assert not Brief.objects.exists() and not BriefRecipient.objects.exists()
    with pytest.raises(NotFound):
        actions.open_link(copy.link_token, scenario.liaisons[0])
    entry.refresh_from_db()
    assert TransferEntry.objects.count() == 1 and entry.brief_id is None
    assert AuditEvent.objects.filter(action="brief.purged").count() == 1


def test_it_reads_briefs_and_the_log_after_a_key_rotation(scenario: Scenario) -> None:
    from tracktwo.safety.datakeys import rotate_initiative_key

    brief = actions.draft_for(scenario.dialogue, None, scenario.facilitator)
    actions.update_narrative(brief, scenario.facilitator, proposals="A river commission.")
    (copy,) = actions.issue(brief, scenario.facilitator, [(scenario.liaisons[0], "Desk")])
    actions.open_link(copy.link_token, scenario.liaisons[0])
    before = actions.render_copy(copy.recipient, "md", scenario.liaisons[0]).body
    log.add_track_one_event(
        scenario.initiative,
        scenario.convener,
        happened_on="2025-01-02",
        body="Talks",
        description="Open",
    )
    rotation = rotate_initiative_key(scenario.initiative.pk)
    assert rotation.values_resealed > 0
    recipient = BriefRecipient.objects.get(pk=copy.recipient.pk)
    assert actions.render_copy(recipient, "md", scenario.liaisons[0]).body == before
    assert [e.body for e in log.track_one_events(scenario.initiative, scenario.convener)] == [
        "Talks"
    ]
