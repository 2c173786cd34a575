"""``tracktwo purge``: apply each initiative's retention period (run it daily, e.g. from cron).

Deletes the content of every dialogue whose last activity is older than its initiative's
retention period and prints one line per dialogue; ``--dry-run`` only lists them. Also
deletes every row past its own expiry (prepared files a day after they were asked for,
with their files; back-channel messages) and prints one line per kind.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from tracktwo.cli import UsageError, start_django
from tracktwo.cli.keys import _guarded


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dry-run", action="store_true", help="list the dialogues that would be purged"
    )
    parser.add_argument(
        "--now",
        metavar="ISO-TIME",
        help="pretend it is this time (e.g. 2027-01-31T00:00:00+00:00), for planning",
    )


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--now {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise UsageError(f"--now {value!r} needs a time zone, e.g. {value}+00:00")
    return moment


def run(args: argparse.Namespace) -> int:
    now = _parse_now(args.now)
    start_django(migrated=False)

    def purge() -> int:
        from tracktwo.safety import actions, retention

        if args.dry_run:
            expired = retention.expired_dialogues(now)
            for dialogue, last in expired:
                print(
                    f"would purge dialogue {dialogue.pk} of initiative {dialogue.initiative_id} "
                    f"(last activity {last:%Y-%m-%d}, retention "
                    f"{dialogue.initiative.retention_days} days)"
                )
            if not expired:
                print("nothing to purge")
            return 0
        purged, lapsed = actions.purge(now)
        for item in purged:
            counts = ", ".join(f"{n} {kind}" for kind, n in item.deleted.items() if n)
            print(
                f"purged dialogue {item.dialogue_id} of initiative {item.initiative_id} "
                f"(last activity {item.last_activity:%Y-%m-%d}): {counts or 'no content'}"
            )
        for kind, count in lapsed.items():
            print(f"deleted {count} expired {kind.replace('_', ' ')}")
        if not purged and not lapsed:
            print("nothing to purge")
        return 0

    return _guarded(purge)
