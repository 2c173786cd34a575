"""Canary texts written through every sealed attribute of the back-channel.

Run as a script (``python backchannel_canaries.py``) it migrates the database named by
DATABASE_URL, runs the back-channel through its actions with the canaries and checkpoints
SQLite's write-ahead log, so that the test can search the database files.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

CANARIES = {
    "message": "CanaryBcMessage",
    "rewording": "CanaryBcRewording",
    "hold reason": "CanaryBcHoldReason",
    "reply": "CanaryBcReply",
    "caucus thread": "CanaryBcThread",
    "caucus reply": "CanaryBcCaucusReply",
    "position": "CanaryBcPosition",
    "check-in note": "CanaryBcCheckIn",
    "handover": "CanaryBcHandover",
    "exchange name": "CanaryBcExchangeName",
    "exchange message": "CanaryBcExchangeMessage",
}


def write_canaries() -> None:
    from tracktwo.accounts.auth import Caller
    from tracktwo.accounts.models import User
    from tracktwo.backchannel import actions as bc
    from tracktwo.dialogues import actions
    from tracktwo.initiatives import actions as initiative_actions

    convener = User.objects.create_user(
        f"canary-convener-{os.getpid()}", password=None, is_convener=True
    )
    initiative = initiative_actions.create_initiative(convener, "Valley", ["Up", "Down"])
    dialogue = actions.create_dialogue(initiative, "W", "living-room", "secret", convener)
    up, down = list(initiative.parties.order_by("position"))
    speakers = []
    for party, handle in ((up, "uphandle"), (down, "downhandle")):
        _, token = actions.create_invitation(dialogue, party=party, by=convener)
        joined = actions.join(token, handle, True)
        speakers.append(Caller(kind="participant", participant=joined.participant))
    a, b = speakers
    facilitator = Caller(kind="user", user=convener)
    message = bc.draft_message(initiative, a, down.pk, CANARIES["message"])
    bc.propose(message, facilitator, CANARIES["rewording"])
    bc.accept(message, a)
    reply = bc.draft_message(initiative, b, None, CANARIES["reply"], reply_to=message.pk)
    bc.carry(reply, facilitator)
    held = bc.draft_message(initiative, a, down.pk, "to be held")
    bc.hold(held, facilitator, CANARIES["hold reason"])
    thread = bc.post_in_caucus(initiative, a, CANARIES["caucus thread"])
    bc.post_in_caucus(initiative, a, CANARIES["caucus reply"], reply_to=thread.pk)
    bc.set_position(initiative, a, CANARIES["position"])
    bc.schedule_check_in(initiative, facilitator, date(2099, 1, 1), CANARIES["check-in note"])
    bc.write_handover(initiative, facilitator, CANARIES["handover"])
    _exchange(initiative, convener, up.pk)


def _exchange(initiative: Any, convener: Any, side: int) -> None:
    """A liaison writes with Upstream's voice in a Track 1.5 exchange; it is carried."""
    from tracktwo.accounts.auth import Caller
    from tracktwo.accounts.models import User
    from tracktwo.backchannel import actions as bc
    from tracktwo.backchannel import exchanges
    from tracktwo.initiatives import actions as initiative_actions

    liaison = User.objects.create_user(f"canary-liaison-{os.getpid()}", password=None)
    initiative_actions.add_member(initiative, liaison, "liaison", convener)
    exchange = exchanges.open_exchange(initiative, convener, CANARIES["exchange name"])
    exchanges.give_voice(exchange, convener, liaison.pk, side)
    voice = Caller(kind="user", user=liaison)
    message = exchanges.draft_in_exchange(exchange, voice, None, CANARIES["exchange message"])
    bc.carry(message, Caller(kind="user", user=convener))


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
    import django

    django.setup()
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
