"""A prepared file is confidential: sealed on disk with the initiative's data key, registered
with safety, and deleted -- row and file -- by the dialogue's retention purge and by the
initiative's wipe."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from django.test.utils import override_settings
from factories import Workshop, make_workshop

from tracktwo.safety.audit import Actor
from tracktwo.safety.registry import confidential_rows
from tracktwo.safety.retention import delete_dialogue_content, wipe
from tracktwo.workers import actions, files
from tracktwo.workers.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def prepared(workshop: Workshop) -> Job:
    """A Markdown brief asked for by the convener, prepared as a worker does."""
    job = Job.objects.create(
        key=secrets.token_hex(16),
        kind="brief",
        dialogue=workshop.dialogue,
        requested_by=workshop.convener,
        options={"format": "md", "session": None, "language": None, "ui_language": "en"},
    )
    assert actions.prepare(job.key) == "done"
    return job


def test_it_seals_the_file_and_deletes_it_with_the_dialogue_and_the_initiative(
    tmp_path: Path,
) -> None:
    assert "prepared_files" in {rows.name for rows in confidential_rows()}
    with override_settings(TRACKTWO_JOBS_DIR=tmp_path / "jobs"):
        workshop = make_workshop()
        first = prepared(workshop)
        sealed = files.path_of(first.key).read_bytes()
        assert b"NON-PAPER" not in sealed  # the Markdown brief's first words, sealed
        deleted = delete_dialogue_content([workshop.dialogue.pk])  # a retention purge
        assert deleted["prepared_files"] == 1 and not files.path_of(first.key).exists()

        second = prepared(workshop)
        assert files.path_of(second.key).exists()
        wipe(workshop.initiative.pk, actor=Actor.user(workshop.convener), rotate_master=False)
        assert not Job.objects.exists()
        assert list((tmp_path / "jobs").iterdir()) == []
