"""Pages of files prepared on workers: the job's page ("being prepared", then the link) and
the file. Only the account that asked sees either, and only while it keeps the role the
same file needs in the request path (others: the neutral 404, or 403 for a member lacking
the role). The page reloads itself every few seconds while the file is being prepared
(an HTML refresh: no script needed); a plain reload does the same.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tracktwo.accounts.auth import signed_in_required
from tracktwo.dialogues.views.common import forbidden, load_dialogue, not_found, user_of
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError, NotFound
from tracktwo.workers import queries
from tracktwo.workers.actions import own_copy
from tracktwo.workers.models import Job, JobKind, JobState


def _job_for(request: HttpRequest, key: str) -> Job | HttpResponse:
    job = queries.job_by_key(key)
    if job is None:
        return not_found(request)
    if job.kind == JobKind.BRIEF_MARKED_COPY:
        return _own_copy_job(request, job)
    dialogue = load_dialogue(request, job.dialogue_id, "facilitate")
    if isinstance(dialogue, HttpResponse):
        return dialogue
    if job.kind == JobKind.POLIS_EXPORT and not permissions.can_convene(
        request.user, dialogue.initiative
    ):
        return forbidden(request)
    if job.requested_by_id != request.user.pk:
        return not_found(request)
    return job


def _own_copy_job(request: HttpRequest, job: Job) -> Job | HttpResponse:
    """A liaison's marked copy: theirs alone, and only while their copy's own page opens
    (the same 404, or the same refusal, as ``/briefs/copies/<id>/``)."""
    if job.requested_by_id != request.user.pk:
        return not_found(request)
    try:
        own_copy(job.dialogue, user_of(request), job.options)
    except NotFound:
        return not_found(request)
    except DialogueError as error:
        return render(request, "transfer/link_refused.html", {"reason": error.message}, status=403)
    return job


def _back(job: Job) -> str:
    if job.kind == JobKind.BRIEF_MARKED_COPY and isinstance(job.options.get("recipient"), int):
        return reverse("transfer:copy", args=[job.options["recipient"]])
    if job.kind == JobKind.BRIEF_FILE_COPY and isinstance(job.options.get("brief"), int):
        return reverse("transfer:brief", args=[job.options["brief"]])
    if job.kind == JobKind.BRIEF:
        return reverse("transfer:editor", args=[job.dialogue_id])
    if job.kind == JobKind.EVALUATION_REPORT:
        return reverse("evaluation:results", args=[job.dialogue_id])
    return reverse("dialogues:overview", args=[job.dialogue_id])


def _page(request: HttpRequest, job: Job, status: queries.JobStatus) -> HttpResponse:
    context = {
        "key": job.key,
        "kind": JobKind(job.kind).label,
        "state": status.state,
        "waiting": status.state in (JobState.QUEUED, JobState.RUNNING),
        "problem": status.problem,
        "filename": job.filename,
        "back": _back(job),
    }
    return render(request, "workers/job.html", context)


@require_GET
@signed_in_required
def job_page(request: HttpRequest, key: str) -> HttpResponse:
    """Being prepared (reloading), ready (the link), or why it was not made."""
    job = _job_for(request, key)
    if isinstance(job, HttpResponse):
        return job
    return _page(request, job, queries.status_of(job))


@require_GET
@signed_in_required
def job_file(request: HttpRequest, key: str) -> HttpResponse:
    """The file once ready; before that (or once failed or expired), the job's page."""
    job = _job_for(request, key)
    if isinstance(job, HttpResponse):
        return job
    status = queries.status_of(job)
    if status.state != JobState.DONE:
        return _page(request, job, status)
    body = queries.file_of(job)
    if body is None:  # removed meanwhile, or sealed under a data key since rotated
        return _page(request, job, queries.JobStatus("expired", str(queries.GONE)))
    response = HttpResponse(body, content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
