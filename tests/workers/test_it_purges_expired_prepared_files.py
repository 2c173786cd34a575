"""``tracktwo purge`` deletes prepared files a day after they were asked for -- row and sealed
file, through safety's registry, in its transaction, with an audit row of counts -- also on
a site where no one asks for a new file (which is when the request path sweeps them)."""

from __future__ import annotations

import argparse
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from django.test.utils import override_settings
from django.utils import timezone
from factories import Workshop, make_workshop

from tracktwo.cli import purge
from tracktwo.safety.models import AuditEvent
from tracktwo.workers import actions, files
from tracktwo.workers.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def prepared(workshop: Workshop, hours_ago: float) -> Job:
    """A Markdown brief asked for ``hours_ago``, prepared as a worker does."""
    job = Job.objects.create(
        key=secrets.token_hex(16),
        kind="brief",
        dialogue=workshop.dialogue,
        requested_by=workshop.convener,
        options={"format": "md", "session": None, "language": None, "ui_language": "en"},
    )
    assert actions.prepare(job.key) == "done"
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return job


def test_it_purges_expired_prepared_files_and_keeps_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with override_settings(TRACKTWO_JOBS_DIR=tmp_path / "jobs"):
        workshop = make_workshop()
        expired = prepared(workshop, hours_ago=25)
        fresh = prepared(workshop, hours_ago=1)
        assert files.path_of(expired.key).exists() and files.path_of(fresh.key).exists()

        assert purge.run(argparse.Namespace(dry_run=False, now=None)) == 0

        assert "deleted 1 expired prepared files" in capsys.readouterr().out
        assert not Job.objects.filter(pk=expired.pk).exists()
        assert not files.path_of(expired.key).exists()
        assert Job.objects.filter(pk=fresh.pk).exists()
        assert files.path_of(fresh.key).exists()
        assert sorted(p.name for p in (tmp_path / "jobs").iterdir()) == [f"{fresh.key}.sealed"]
        audit = AuditEvent.objects.get(action="prepared_files.purged")
        assert audit.initiative_id == workshop.initiative.pk
        assert audit.details == {"files": 1, "retention_days": 1}
        workshop.dialogue.refresh_from_db()
        assert workshop.dialogue.purged_at is None  # the dialogue itself is not expired

        assert purge.run(argparse.Namespace(dry_run=False, now=None)) == 0
        assert capsys.readouterr().out.strip() == "nothing to purge"
