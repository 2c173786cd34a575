"""JSON API of files prepared on workers, mounted under /api/v1 (docs/api.md).

===========================  ================================================================
route                        who (anyone else: 401, 403 or 404)
===========================  ================================================================
GET /jobs/{key}              the account that asked, while it keeps the role the file needs
                             (a marked copy: while the liaison's copy is still theirs to open)
GET /jobs/{key}/file         the same: the file once done (audited when it was prepared)
===========================  ================================================================

A job is asked for by the routes that would otherwise render in the request, when
``REDIS_URL`` is set: ``GET /dialogues/{id}/brief?format=pdf`` and
``GET /dialogues/{id}/export/polis`` answer ``202`` with :func:`accepted`. A participant of
the job's dialogue gets 403; anyone else who is not its requester gets 404, so that a job's
existence says nothing of who asked for what.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Path, Router

from tracktwo.accounts.auth import API_AUTH, caller
from tracktwo.dialogues.api.common import ERRORS, _member
from tracktwo.practice.errors import Conflict, NotFound
from tracktwo.workers import queries
from tracktwo.workers.actions import own_copy
from tracktwo.workers.answers import JobOut, job_out
from tracktwo.workers.models import Job, JobKind, JobState

router = Router(tags=["jobs"])
Key = Annotated[str, Path(min_length=1, max_length=64)]


def _job(request: HttpRequest, key: str) -> Job:
    job = queries.job_by_key(key)
    if job is None:
        raise NotFound("no such job")
    if job.kind == JobKind.BRIEF_MARKED_COPY:  # a liaison's: their own copy, still usable
        who = caller(request)
        if who.kind != "user" or who.user is None or job.requested_by_id != who.user.pk:
            raise NotFound("no such job")
        own_copy(job.dialogue, who.user, job.options)
        return job
    _dialogue, user = _member(request, job.dialogue_id, queries.need_of(job))  # type: ignore[arg-type]
    if job.requested_by_id != user.pk:
        raise NotFound("no such job")
    return job


@router.get("/jobs/{key}", auth=API_AUTH, response={200: JobOut, **ERRORS})
def job_status(request: HttpRequest, key: Key) -> dict[str, Any]:
    """A file asked for: queued, running, done (with its file's address) or failed (why)."""
    return job_out(_job(request, key))


@router.get("/jobs/{key}/file", auth=API_AUTH, response={200: None, **ERRORS})
def job_file(request: HttpRequest, key: Key) -> HttpResponse:
    """The prepared file (409 while it is being prepared or when it failed; 410 expired)."""
    job = _job(request, key)
    status = queries.status_of(job)
    if status.state == "expired":
        raise _Gone(status.problem)
    if status.state != JobState.DONE:
        raise Conflict(status.problem or "the file is still being prepared", field="status")
    body = queries.file_of(job)
    if body is None:
        raise _Gone(str(queries.GONE))
    response = HttpResponse(body, content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


class _Gone(Conflict):
    http_status = 410
    code = "gone"
