"""The ``tracktwo`` command line.

Our own commands are thin wrappers over tested functions. Any other command is
handed to Django's management, so ``tracktwo migrate`` works. Commands that are
pure computation (``analyze``, ``rank``) import neither Django nor settings; the
others start Django through :func:`start_django`, the one place that does.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SETTINGS_MODULE = "tracktwo.site.settings"


class UsageError(Exception):
    """A user's mistake: printed as one line on stderr, exit status 2."""


def use_site_settings() -> None:
    """Point Django at the site's settings, unless ``DJANGO_SETTINGS_MODULE`` names others."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)


def start_django(*, migrated: bool = True) -> None:
    """Set Django up for a command that uses the site's settings and database.

    A configuration error in the environment (see :mod:`tracktwo.site.env`) becomes a
    :class:`UsageError`. With ``migrated`` (the default) the database must also answer and
    have every migration applied; commands that report database errors themselves, or
    apply the migrations (``serve``), pass ``migrated=False``. Imports Django only when
    called, so that ``analyze`` and ``rank`` stay free of it.
    """
    use_site_settings()
    from tracktwo.site.env import ConfigurationError

    try:
        import django

        django.setup()
    except ConfigurationError as exc:
        raise UsageError(str(exc)) from None
    if migrated:
        _require_migrated_database()


def _require_migrated_database() -> None:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise UsageError(f"cannot reach the database: {exc}") from None
    if pending:
        raise UsageError("the database has unapplied migrations: run 'tracktwo migrate' first")


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    module: str  # holds ``configure(parser)`` and ``run(args) -> int``


COMMANDS: tuple[Command, ...] = (
    Command(
        "serve",
        "apply pending migrations and serve the site with granian on PORT",
        "tracktwo.cli.serve",
    ),
    Command("rank", "rank candidate joint texts from ballots (Schulze)", "tracktwo.cli.rank"),
    Command(
        "select",
        "draw a balanced panel from a pool under quotas (sortition)",
        "tracktwo.cli.select",
    ),
    Command(
        "analyze", "opinion groups and common ground of a Pol.is export", "tracktwo.cli.analyze"
    ),
    Command(
        "facilitator",
        "add a facilitator, convener (--convener) or operator (--operator) account; reset a password",
        "tracktwo.cli.facilitator",
    ),
    Command("keys", "rotate master or initiative keys; emergency wipe", "tracktwo.cli.keys"),
    Command("purge", "delete dialogue content past its retention period", "tracktwo.cli.purge"),
    Command("brief", "a dialogue's brief to a file; trace a leaked copy", "tracktwo.cli.brief"),
    Command("demo", "load a fictional sample initiative (local use only)", "tracktwo.cli.demo"),
    Command("import-polis", "create a dialogue from a Pol.is export", "tracktwo.cli.import_polis"),
    Command("export-polis", "write a dialogue in Pol.is CSV format", "tracktwo.cli.export_polis"),
    Command(
        "evaluation",
        "analyze a survey of change (paired change per measure and side) from a CSV",
        "tracktwo.cli.evaluation",
    ),
    Command(
        "worker",
        "run a Celery worker for analyses and briefs (needs REDIS_URL)",
        "tracktwo.cli.worker",
    ),
    Command("backup", "write the database to a backup file (no keys in it)", "tracktwo.cli.backup"),
    Command(
        "restore", "replace the database with a backup file's contents", "tracktwo.cli.restore"
    ),
)


def _registry() -> dict[str, Command]:
    return {command.name: command for command in COMMANDS}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``only``, just that command's options are configured.

    Each command's module is imported to configure its options, and some import heavy
    libraries (SciPy's statistics, the sortition solver): ``main`` configures only the command
    it runs, so ``tracktwo analyze`` starts without them.
    """
    parser = argparse.ArgumentParser(
        prog="tracktwo",
        description="Track Two dialogue platform. Commands not listed here are passed to "
        "Django's management (e.g. 'tracktwo migrate').",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        if only is None or command.name == only:
            importlib.import_module(command.module).configure(sub)
    return parser


def _django_management(argv: Sequence[str]) -> int:
    use_site_settings()  # Django's management sets itself up
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tracktwo", *argv])
    return 0


ENDS_AT_ONCE = frozenset({"analyze", "rank"})
"""Pure computations: once their output is flushed, the process ends without tearing its
interpreter down (:func:`entry`). They hold nothing to save or close, and an analysis that
updated has loaded Numba's compiled loops, whose teardown took 0.25 s of a replay's end."""

_ran: list[str] = []  # the command :func:`main` ran last


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    registry = _registry()
    if args_list and not args_list[0].startswith("-") and args_list[0] not in registry:
        return _django_management(args_list)
    chosen = args_list[0] if args_list and args_list[0] in registry else None
    parser = build_parser(only=chosen) if chosen else build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(registry[args.command].module)
    run: Callable[[argparse.Namespace], int] = module.run
    _ran[:] = [args.command]
    try:
        return run(args)
    except UsageError as exc:
        print(f"tracktwo {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


HUGEPAGE_ADVICE = "NUMPY_MADVISE_HUGEPAGE"
"""NumPy's switch for advising the kernel to back its large arrays with huge pages. Where the
kernel compacts memory when such a page is first touched (``defrag`` ``madvise``, Debian's
and Ubuntu's default), a fresh process spent twice the system time on it: on the 2-core
reference machine, the 100k analysis 1.1-1.5 s of system time against 0.7-0.8 s without
(3.3-3.8 s against 3.0-3.4 s whole), its replay 3.4-3.6 s against 2.1-2.2 s."""


def without_hugepage_advice() -> None:
    """``NUMPY_MADVISE_HUGEPAGE=0`` unless set (read when NumPy is first imported; processes
    started from this one inherit it)."""
    os.environ.setdefault(HUGEPAGE_ADVICE, "0")


def entry() -> None:
    """The console script: :func:`main`, and its status as the process's; a command of
    :data:`ENDS_AT_ONCE` that returns ends the process at once, its output flushed. NumPy,
    imported after this, does not advise huge pages (:data:`HUGEPAGE_ADVICE`)."""
    without_hugepage_advice()
    code = main()
    if _ran and _ran[0] in ENDS_AT_ONCE:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # output not written whole (a closed pipe, a full disk): as Python
            code = 120  # itself ends when its last flush fails
        os._exit(code)
    sys.exit(code)
