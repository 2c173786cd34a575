"""Files prepared on a worker: asking for one, and the worker preparing it.

:func:`request_file` runs in the web request when ``REDIS_URL`` is set: it checks what the
request path would check before rendering (the caller's role, the format, and the do-no-harm
gates: nothing leaves an off-the-record meeting, no export at high risk or without its
assessment; an issued brief for its file copy; for a liaison's marked copy, that it is theirs,
opened, neither withdrawn nor expired), records a
:class:`~tracktwo.workers.models.Job` and enqueues ``tracktwo.prepare``. :func:`prepare` runs on the worker: it checks all of that again (the
dialogue may have changed meanwhile), renders with the same functions as the request path,
for the same user (so the same suppression applies), and in one transaction writes the same
audit row, the sealed file and the job's new state. A refusal fails the job with its
reason, never retried; a transient fault is retried by Celery and fails the job once the
retries are spent (:func:`fail`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import redis
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError, NotFound
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import DataKeyUnavailable, box_for_sealing
from tracktwo.workers import files
from tracktwo.workers.models import Job, JobKind, JobState

if TYPE_CHECKING:
    from tracktwo.transfer.models import BriefRecipient

KEEP = timedelta(hours=24)  # a prepared file is served, then deleted, a day after it was asked
SWEEP_BATCH = 200
FAILED_TO_PREPARE = gettext_lazy(
    "The file could not be prepared. Try again; if it fails again, tell the site's operator."
)


@dataclass(frozen=True)
class Prepared:
    body: bytes
    content_type: str
    filename: str


def own_copy(dialogue: Dialogue, user: User, options: dict[str, Any]) -> BriefRecipient:
    """A marked copy job's copy, as the request path checks it: ``user``'s own, opened,
    neither withdrawn nor expired, of a brief of ``dialogue`` (NotFound, NotAllowed)."""
    from tracktwo.transfer.actions import copy_for, require_copy

    recipient_id = options.get("recipient")
    if not isinstance(recipient_id, int):
        raise NotFound("no such brief")
    recipient = copy_for(recipient_id, user)
    if recipient.brief.dialogue_id != dialogue.pk:
        raise NotFound("no such brief")
    require_copy(recipient, options.get("format", "pdf"), user)
    return recipient


def _check(kind: str, dialogue: Dialogue, user: User, options: dict[str, Any]) -> None:
    """What the request path checks before it renders (raises the same domain errors)."""
    from tracktwo.dialogues.queries.meetings import require_may_leave

    if kind == JobKind.BRIEF_MARKED_COPY:  # a liaison's: their copy, not a role
        own_copy(dialogue, user, options)
        return
    if kind == JobKind.POLIS_EXPORT:
        from tracktwo.consent.gates import require_export_allowed

        permissions.require(
            permissions.can_convene(user, dialogue.initiative), "export this dialogue"
        )
        require_export_allowed(dialogue)
        require_may_leave(dialogue, None, _("export"))
        return
    permissions.require(permissions.can_facilitate(user, dialogue), "read this dialogue's files")
    if kind == JobKind.BRIEF_FILE_COPY:
        from tracktwo.transfer.file_copy import brief_of, require_file_copy

        require_file_copy(brief_of(dialogue, options.get("brief")), options["format"], user)
    if kind == JobKind.BRIEF:
        from tracktwo.transfer.actions import clean_format, session_of
        from tracktwo.transfer.languages import brief_language

        clean_format(options.get("format", "pdf"))
        brief_language(dialogue, options.get("language"))
        require_may_leave(dialogue, session_of(dialogue, options.get("session")), "brief")


def kept_days(_initiative: Any) -> int:
    """How many days a job and its file are kept (:data:`KEEP`), for ``tracktwo purge``
    (registered in :class:`tracktwo.workers.apps.WorkersConfig`)."""
    return KEEP.days


def sweep(now: Any = None) -> int:
    """Delete jobs asked for longer ago than :data:`KEEP` (their files go with them); also
    done by ``tracktwo purge`` (safety's retention, audited), for sites where no one asks."""
    old = (now or timezone.now()) - KEEP
    keys = list(Job.objects.filter(created_at__lt=old).values_list("pk", flat=True)[:SWEEP_BATCH])
    return Job.objects.filter(pk__in=keys).delete()[0] if keys else 0


def request_file(
    kind: str,
    dialogue: Dialogue,
    user: User,
    *,
    fmt: str = "pdf",
    session: int | None = None,
    language: str | None = None,
    brief: int | None = None,
    recipient: int | None = None,
) -> Job:
    """Record the request and enqueue it; an unfinished identical request is reused.

    Raises the request path's domain errors (403, 404, 409) before anything is recorded,
    and ``redis.exceptions.ConnectionError`` (a 503) when the queue cannot be reached.
    """
    from tracktwo.workers.queue import send

    options: dict[str, Any] = {"format": fmt, "session": session, "language": language}
    if brief is not None:  # an issued brief's file copy
        options["brief"] = brief
    if recipient is not None:  # a liaison's marked copy
        options["recipient"] = recipient
    _check(kind, dialogue, user, options)
    options["ui_language"] = translation.get_language() or "en"
    with transaction.atomic():
        sweep()
        pending = Job.objects.filter(
            kind=kind,
            dialogue=dialogue,
            requested_by=user,
            state__in=(JobState.QUEUED, JobState.RUNNING),
        )
        for job in pending:  # a reload of the page that asked: the same job
            if job.options == options:
                return job
        job = Job.objects.create(
            key=secrets.token_hex(16), kind=kind, dialogue=dialogue, requested_by=user,
            options=options,
        )  # fmt: skip
    try:
        send("tracktwo.prepare", job.key)
    except Exception as exc:  # the broker unreachable: kombu wraps redis' errors
        fail(job.key, _("The file could not be queued: the service was briefly unavailable."))
        raise redis.exceptions.ConnectionError("the task queue is unreachable") from exc
    return job


def fail(key: str, problem: str) -> None:
    """Mark the job failed with the reason its requester reads (unless it is done)."""
    Job.objects.filter(key=key).exclude(state=JobState.DONE).update(
        state=JobState.FAILED, problem=str(problem)[:500], finished_at=timezone.now()
    )


def _render(job: Job) -> Prepared:
    """The file as the request path renders it, for the requester (no audit row here)."""
    user, dialogue, options = job.requested_by, job.dialogue, job.options
    if job.kind == JobKind.BRIEF:
        from tracktwo.transfer.actions import render_draft, session_of

        rendered = render_draft(
            dialogue,
            session_of(dialogue, options.get("session")),
            options.get("format", "pdf"),
            user,
            audit=False,
            language=options.get("language"),
        )
        return Prepared(rendered.body, rendered.content_type, rendered.filename)
    if job.kind == JobKind.BRIEF_FILE_COPY:
        from tracktwo.transfer.file_copy import brief_of, render_file_copy

        brief = brief_of(dialogue, options.get("brief"))
        rendered = render_file_copy(brief, options["format"], user, audit=False)
        return Prepared(rendered.body, rendered.content_type, rendered.filename)
    if job.kind == JobKind.BRIEF_MARKED_COPY:
        from tracktwo.transfer.actions import render_copy

        copy = own_copy(dialogue, user, options)
        rendered = render_copy(copy, options["format"], user, audit=False)
        return Prepared(rendered.body, rendered.content_type, rendered.filename)
    if job.kind == JobKind.EVALUATION_REPORT:
        from tracktwo.evaluation import report

        body = report.pdf(report.html(dialogue, user))
        return Prepared(body, "application/pdf", "evaluation-report.pdf")
    from tracktwo.dialogues.actions.polis_exchange import export_zip

    body = export_zip(dialogue, by=user)  # audited inside: call it in the job's transaction
    return Prepared(body, "application/zip", f"dialogue-{dialogue.pk}-polis.zip")


def _audit(job: Job) -> None:
    """The audit row the request path writes when it renders the same file."""
    if job.kind == JobKind.BRIEF:
        record(
            "brief.exported",
            actor=Actor.user(job.requested_by),
            initiative_id=job.dialogue.initiative_id,
            target_type="dialogue",
            target_id=job.dialogue_id,
            details={"session": job.options.get("session"), "format": job.options["format"]},
        )
    elif job.kind == JobKind.BRIEF_FILE_COPY:
        from tracktwo.transfer.file_copy import brief_of, record_file_copy

        brief = brief_of(job.dialogue, job.options.get("brief"))
        record_file_copy(brief, job.options["format"], job.requested_by)
    elif job.kind == JobKind.BRIEF_MARKED_COPY:
        from tracktwo.transfer.actions import record_copy_download

        copy = own_copy(job.dialogue, job.requested_by, job.options)
        record_copy_download(copy, job.options["format"], job.requested_by)


def _finish(job: Job, made: Prepared | None) -> str:
    """Inside one transaction: (render an export,) audit, seal and store, mark done."""
    locked = Job.objects.select_for_update().filter(pk=job.pk).first()
    if locked is None or locked.state == JobState.DONE:
        return "gone" if locked is None else "done"
    box = box_for_sealing(job.dialogue.initiative_id)
    made = made or _render(job)
    _audit(job)
    files.store(job.key, box, made.body)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        problem="",
        filename=made.filename,
        content_type=made.content_type,
        size=len(made.body),
        finished_at=timezone.now(),
    )
    return "done"


def prepare(key: str) -> str:
    """The worker's side (task ``tracktwo.prepare``): ``done``, ``failed`` or ``gone``.

    Kept in one piece: the checks, the rendering and the commit of the file with its audit
    row and state must read as one sequence, with the file removed if the commit fails.
    """
    job = Job.objects.select_related("dialogue__initiative", "requested_by").filter(key=key).first()
    if job is None or job.dialogue.purged_at is not None:
        return "gone"
    if job.finished:
        return str(job.state)
    Job.objects.filter(pk=job.pk, state=JobState.QUEUED).update(state=JobState.RUNNING)
    try:
        with translation.override(job.options.get("ui_language") or "en"):
            _check(job.kind, job.dialogue, job.requested_by, job.options)
            # A PDF takes seconds: rendered outside the transaction (SQLite's is a write lock).
            made = None if job.kind == JobKind.POLIS_EXPORT else _render(job)
            with transaction.atomic():
                outcome = _finish(job, made)
    except DialogueError as refused:
        files.remove(key)
        fail(key, refused.message)
        return "failed"
    except DataKeyUnavailable:  # the initiative was wiped meanwhile
        files.remove(key)
        return "gone"
    except BaseException:
        files.remove(key)
        raise
    return outcome
