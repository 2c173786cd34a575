"""A file prepared on a worker for the one person who asked for it (docs/deployment.md).

:class:`Job` is the state of one request that a ``tracktwo worker`` fulfils -- a brief as
PDF, an issued brief's file copy as PDF, a liaison's marked copy of it as PDF, a Pol.is export, an evaluation report as PDF -- when the site runs with ``REDIS_URL``.
Its row says only what was asked (kind, dialogue, format) and by whom; the file itself is
sealed with the initiative's data key under the data dir (``TRACKTWO_JOBS_DIR``), named by
the job's random key, and deleted with the row (a retention purge, the initiative's wipe,
or its own expiry). Only the requester ever reads a job, and only while they still hold the
right the same file needs in the request path.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    BRIEF = "brief", _("Brief")
    BRIEF_FILE_COPY = "brief-file-copy", _("Brief (file copy)")
    BRIEF_MARKED_COPY = "brief-marked-copy", _("Brief (your marked copy)")
    POLIS_EXPORT = "polis-export", _("Pol.is export")
    EVALUATION_REPORT = "evaluation-report", _("Evaluation report")


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting for a worker")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """One file asked for, prepared on a worker (see the module's docstring)."""

    key = models.CharField(max_length=32, unique=True)  # random: the job's id in addresses
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    dialogue = models.ForeignKey("dialogues.Dialogue", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    options = models.JSONField(default=dict)  # {"format", "session", "language", ...}: no content
    state = models.CharField(max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    problem = models.CharField(max_length=500, blank=True)  # why it failed, for the requester
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "workers_job"

    def __str__(self) -> str:
        return f"job {self.pk} ({self.kind}, {self.state})"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
