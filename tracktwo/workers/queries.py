"""Reading a prepared file's job (never writing): its state for its requester, its file.

A job is read only by the user who asked for it; the callers (``api.py``, ``views.py``)
also check, each time, the role the same file needs in the request path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracktwo.safety.crypto import DecryptionError
from tracktwo.safety.datakeys import DataKeyUnavailable, box_for
from tracktwo.workers import files
from tracktwo.workers.actions import KEEP
from tracktwo.workers.models import Job, JobKind, JobState

STALE = timedelta(minutes=30)  # queued or running longer: lost (Redis emptied, retries spent)
KEY_CHARS = 32
GONE = gettext_lazy("This file is no longer here: ask for it again.")


@dataclass(frozen=True)
class JobStatus:
    state: str  # queued, running, done, failed, expired
    problem: str  # why it failed or expired, for the requester ("" otherwise)


def job_by_key(key: str) -> Job | None:
    if len(key) != KEY_CHARS or not key.isalnum():
        return None
    return Job.objects.select_related("dialogue__initiative").filter(key=key).first()


def need_of(job: Job) -> str:
    """The role the file needs in the request path (``convene`` or ``facilitate``; a
    marked copy needs none but its recipient's: see ``actions.own_copy``)."""
    return "convene" if job.kind == JobKind.POLIS_EXPORT else "facilitate"


def status_of(job: Job) -> JobStatus:
    now = timezone.now()
    if now - job.created_at > KEEP:
        return JobStatus("expired", _("This file has expired: ask for it again."))
    if job.state in (JobState.QUEUED, JobState.RUNNING) and now - job.created_at > STALE:
        return JobStatus(JobState.FAILED, _("The file was not prepared in time. Ask for it again."))
    return JobStatus(str(job.state), str(job.problem))


def file_of(job: Job) -> bytes | None:
    """The job's file, opened; None when it is gone or no longer opens (a key rotation)."""
    try:
        return files.read(job.key, box_for(job.dialogue.initiative_id))
    except (DecryptionError, DataKeyUnavailable):
        return None
