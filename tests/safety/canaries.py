"""Canary texts written through every sealed attribute, for the at-rest encryption tests.

Run as a script (``python canaries.py``) it migrates the database named by DATABASE_URL,
writes the canaries through the real actions and checkpoints SQLite's write-ahead log.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

CANARIES = {
    "initiative title": "CanaryInitiativeTitle",
    "conflict description": "CanaryConflictDescription",
    "convening organisation": "CanaryConveningOrg",
    "sponsor": "CanarySponsorFund",
    "party name": "CanaryPartyName",
    "dialogue title": "CanaryDialogueTitle",
    "dialogue description": "CanaryDialogueDescription",
    "ground rule": "CanaryGroundRule",
    "handle": "CanaryHandle",
    "region": "CanaryRegion",
    "gender": "CanaryGender",
    "real name": "CanaryRealName",
    "contact": "CanaryContact",
    "invitee name": "CanaryInviteeName",
    "statement": "CanaryStatementText",
    "redacted statement": "CanaryRedactedText",
    "notes": "CanaryFacilitatorNotes",
    "back channel": "CanaryBackChannel",
}


def needles() -> dict[str, bytes]:
    """Every canary in the forms it could be stored in: as written and case-folded."""
    found: dict[str, bytes] = {}
    for label, text in CANARIES.items():
        found[label] = text.encode()
        found[f"{label} (folded)"] = text.casefold().encode()
    return found


def write_canaries() -> None:
    from tracktwo.accounts.models import User
    from tracktwo.dialogues import actions
    from tracktwo.initiatives import actions as initiative_actions

    convener = User.objects.create_user(
        f"canary-convener-{os.getpid()}", password=None, is_convener=True
    )
    initiative = initiative_actions.create_initiative(
        convener,
        CANARIES["initiative title"],
        [CANARIES["party name"], "Other side"],
        description=CANARIES["conflict description"],
        convening_organisation=CANARIES["convening organisation"],
        sponsors=[CANARIES["sponsor"]],
    )
    dialogue = actions.create_dialogue(
        initiative,
        CANARIES["dialogue title"],
        "problem-solving-workshop",
        "secret",
        convener,
        description=CANARIES["dialogue description"],
        ground_rules=[CANARIES["ground rule"]],
    )
    party, other = list(initiative.parties.order_by("position"))
    _, token = actions.create_invitation(
        dialogue,
        party=party,
        track=4,
        by=convener,
        identity={"real_name": CANARIES["real name"], "contact": CANARIES["contact"]},
    )
    actions.create_invitation(
        dialogue, party=other, by=convener, identity={"real_name": CANARIES["invitee name"]}
    )
    joined = actions.join(
        token, CANARIES["handle"], True, gender=CANARIES["gender"], region=CANARIES["region"]
    )
    participant = actions.participant_by_token(joined.token)
    session = actions.start_session(dialogue, convener, starts_at=datetime(2026, 5, 1, tzinfo=UTC))
    actions.write_session_notes(session, CANARIES["notes"], convener)
    statement = actions.write_statement(dialogue, CANARIES["statement"], participant=participant)
    actions.cast_vote(
        participant,
        actions.write_statement(dialogue, "seed", user=convener).pk,
        1,
    )
    redacted = actions.write_statement(dialogue, "to be redacted", participant=participant)
    actions.moderate_statement(statement, "accepted", convener)
    actions.moderate_statement(
        redacted, "accepted", convener, redacted_text=CANARIES["redacted statement"]
    )
    initiative_actions.send_back_channel_message(
        initiative, party, other, CANARIES["back channel"], convener
    )


def main() -> int:
    from tracktwo.cli import start_django

    start_django(migrated=False)  # it migrates below
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    write_canaries()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
