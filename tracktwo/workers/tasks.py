"""The tasks ``tracktwo worker`` runs: each one a thin wrapper over a tested function.

========================== ======================================================== ======
name                       what                                                     result
========================== ======================================================== ======
``tracktwo.refresh``       :func:`tracktwo.insight.shared.refresh_once`             status
``tracktwo.brief``         a dialogue's draft brief (md, html, pdf) to a file        path
``tracktwo.export_polis``  a dialogue in the Pol.is CSV format into a new folder      path
``tracktwo.evaluation``    a dialogue's evaluation report (suppressed) as JSON       path
``tracktwo.prepare``       a file a user asked for on the site (:mod:`.actions`)      state
========================== ======================================================== ======

The first four are the operator's (paths on the worker's machine, audited as the operator);
``tracktwo.prepare`` is what the site enqueues when ``REDIS_URL`` is set: a brief as PDF (a
draft, an issued brief's file copy, a liaison's marked copy), a Pol.is export or an evaluation
report as PDF for the user who asked, under the same checks
and do-no-harm gates as the request path, stored sealed for that user alone.
Every task passes the gates the request path passes: nothing leaves an off-the-record
meeting (briefs, exports), and no export at high risk or without its do-no-harm assessment
(:func:`tracktwo.consent.gates.require_export_allowed`). A refusal is not retried.

Every task may run twice (acknowledged only when done, redelivered if a worker dies) and
is retried on a transient failure -- the database or Redis unreachable, a file system
error -- with growing pauses (1, 2, 4... up to 30 s, :data:`MAX_RETRIES` times). None is
ever half-applied: a file appears whole under its name or not at all (written beside it,
flushed, then renamed), the audit row of an export commits only with its files, and an
analysis is published in one Redis transaction after it is computed.

Files are written where the caller says, on the worker's machine: with workers on other
machines, give a path on storage they share (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

import redis
from celery.signals import task_postrun, task_prerun, worker_process_init
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)

from tracktwo.workers.queue import app

TRANSIENT = (OperationalError, InterfaceError, redis.exceptions.ConnectionError, OSError)
MAX_RETRIES = 6
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 1,
    "retry_backoff_max": 30,
    "retry_jitter": False,
    "max_retries": MAX_RETRIES,
}


def _fresh_connections(**_: Any) -> None:
    """A forked pool process must not share its parent's database connections."""
    connections.close_all()


def _tidy_connections(**_: Any) -> None:
    """As Django does around a request: drop broken or expired database connections."""
    close_old_connections()


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that it appears whole or not at all."""
    partial = path.with_name(f".{path.name}.partial-{secrets.token_hex(4)}")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def refresh(dialogue_id: int) -> str:
    """Bring the dialogue's shared analysis up to date (once per change, across workers)."""
    from tracktwo.insight.shared import refresh_once

    return refresh_once(dialogue_id)


def brief(dialogue_id: int, session: int | None, fmt: str, output: str) -> dict[str, Any]:
    """The dialogue's (or session's) draft brief in ``fmt`` to the file ``output``."""
    from tracktwo.dialogues.queries.reading import get_dialogue
    from tracktwo.transfer.actions import render_draft, session_of

    dialogue = get_dialogue(dialogue_id)
    rendered = render_draft(dialogue, session_of(dialogue, session), fmt, None)
    write_whole(Path(output), rendered.body)
    return {"path": output, "bytes": len(rendered.body), "filename": rendered.filename}


def export_polis(dialogue_id: int, output: str) -> dict[str, Any]:
    """The dialogue's Pol.is export into the folder ``output``, which must not exist yet:
    the files are written into a folder beside it, which is renamed when complete."""
    from tracktwo.consent.gates import require_export_allowed
    from tracktwo.dialogues.actions.polis_exchange import write_export
    from tracktwo.dialogues.queries.reading import get_dialogue
    from tracktwo.safety.audit import Actor

    target = Path(output)
    if target.exists() and any(target.iterdir()):
        raise ValueError(f"{target} exists and is not empty")  # not retried: a mistake
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    dialogue = get_dialogue(dialogue_id)
    require_export_allowed(dialogue)  # the do-no-harm gate of the API's export (409 there)
    try:
        with transaction.atomic():  # the audit row commits only with the files
            written = write_export(dialogue, partial, actor=Actor.operator())
            for path in written:
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
            if target.exists():
                target.rmdir()
            os.replace(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return {"path": output, "files": sorted(path.name for path in written)}


def evaluation(dialogue_id: int, output: str) -> dict[str, Any]:
    """The dialogue's evaluation report (small cells withheld) as JSON to ``output``."""
    from tracktwo.dialogues.queries.reading import get_dialogue
    from tracktwo.evaluation.queries import results

    report = results(get_dialogue(dialogue_id))
    body = json.dumps(report, indent=2, sort_keys=True, default=str).encode()
    write_whole(Path(output), body)
    return {"path": output, "bytes": len(body)}


def prepare(key: str) -> str:
    """The file a user asked for on the site (:func:`tracktwo.workers.actions.prepare`)."""
    from tracktwo.workers.actions import prepare as prepare_file

    return prepare_file(key)


def _prepare_failed(task: Any, exc: BaseException, task_id: str, args: Any, *_: Any) -> None:
    """Retries spent (or a fault that is no refusal): the requester reads a plain reason."""
    from tracktwo.workers.actions import FAILED_TO_PREPARE, fail

    with contextlib.suppress(*TRANSIENT):  # the database down too: the page says so later
        fail(str(args[0]), str(FAILED_TO_PREPARE))


worker_process_init.connect(_fresh_connections, weak=False)
task_prerun.connect(_tidy_connections, weak=False)
task_postrun.connect(_tidy_connections, weak=False)
TASKS = {
    "tracktwo.refresh": refresh,
    "tracktwo.brief": brief,
    "tracktwo.export_polis": export_polis,
    "tracktwo.evaluation": evaluation,
}
# Nobody waits for a refresh's result (the published analysis says what happened): storing it
# would leave a result key in Redis every second per dialogue. Other results expire in an hour.
for _name, _function in TASKS.items():
    app.task(name=_name, ignore_result=_name == "tracktwo.refresh", **RETRY)(_function)
app.task(name="tracktwo.prepare", on_failure=_prepare_failed, **RETRY)(prepare)
