"""Writes every kind of evaluation text into a fresh database (run as a subprocess by
``test_it_leaves_no_evaluation_canary_in_the_database.py``): own survey item, theory of
change, indicator with a monitoring entry, outcome, tracking statement."""

from __future__ import annotations

import datetime as dt
import os
import sys

CANARIES = {
    "own item": "CanaryEvOwnItem",
    "if": "CanaryEvIf",
    "then": "CanaryEvThen",
    "because": "CanaryEvBecause",
    "indicator": "CanaryEvIndicator",
    "earlier target": "CanaryEvEarlierTarget",
    "entry source": "CanaryEvEntrySource",
    "outcome actor": "CanaryEvOutcomeActor",
    "verifier": "CanaryEvVerifier",
    "tracking statement": "CanaryEvTracking",
}


def write_canaries() -> None:
    from tracktwo.accounts.models import User
    from tracktwo.dialogues import actions
    from tracktwo.evaluation import actions as evaluation
    from tracktwo.evaluation import outcomes, theory, tracking
    from tracktwo.initiatives import actions as initiative_actions

    convener = User.objects.create_user(
        f"canary-ev-convener-{os.getpid()}", password=None, is_convener=True
    )
    initiative = initiative_actions.create_initiative(convener, "Valley", ["Up", "Down"])
    dialogue = actions.create_dialogue(initiative, "W", "living-room", "secret", convener)
    evaluation.compose_survey(
        convener, dialogue, items=["thermometer"], custom=[{"text": CANARIES["own item"]}]
    )
    theory.set_theory(
        initiative,
        convener,
        {"if": CANARIES["if"], "then": CANARIES["then"], "because": CANARIES["because"]},
    )
    indicator = theory.add_indicator(
        initiative, convener, {"name": CANARIES["indicator"], "target": CANARIES["earlier target"]}
    )
    theory.edit_indicator(indicator, convener, {"target": "a later target"})
    theory.add_entry(
        indicator, convener, {"value": "3", "on": "2026-11-01", "source": CANARIES["entry source"]}
    )
    outcomes.record_outcome(
        convener,
        initiative,
        happened_on=dt.date(2026, 11, 2),
        social_actor=CANARIES["outcome actor"],
        change="Shared data.",
        contribution="The workshop.",
        substantiator=CANARIES["verifier"],
    )
    statement = actions.write_statement(dialogue, CANARIES["tracking statement"], user=convener)
    tracking.set_tracking(dialogue, convener, [statement.pk])
    tracking.open_round(dialogue, convener)


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
