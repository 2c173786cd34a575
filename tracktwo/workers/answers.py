"""The JSON shape of a job, shared by the routes that ask for one (``202``) and the job's own
routes (:mod:`tracktwo.workers.api`). Imports no router, so any app's API may use it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpResponse, JsonResponse
from ninja import Schema

from tracktwo.workers import queries
from tracktwo.workers.models import Job, JobState

RETRY_AFTER = 2  # seconds between polls of a job


class JobOut(Schema):
    id: str
    kind: str
    dialogue: int
    status: str
    detail: str | None
    filename: str | None
    bytes: int | None
    status_url: str
    file_url: str | None
    created_at: datetime
    finished_at: datetime | None


def job_out(job: Job) -> dict[str, Any]:
    status = queries.status_of(job)
    done = status.state == JobState.DONE
    return {
        "id": job.key,
        "kind": job.kind,
        "dialogue": job.dialogue_id,
        "status": status.state,
        "detail": status.problem or None,
        "filename": job.filename if done else None,
        "bytes": job.size if done else None,
        "status_url": f"/api/v1/jobs/{job.key}",
        "file_url": f"/api/v1/jobs/{job.key}/file" if done else None,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def accepted(job: Job) -> HttpResponse:
    """``202`` naming the job and where to ask for it (``Location``, ``Retry-After``)."""
    body = job_out(job)
    response = JsonResponse(body, status=202)
    response["Location"] = body["status_url"]
    response["Retry-After"] = str(RETRY_AFTER)
    return response
