"""Without REDIS_URL (``make run``, one process) nothing changes: the brief's PDF, the
Pol.is export and the evaluation report are made in the request, and no job is recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.test.utils import override_settings
from factories import CONVENER, assess_tool, issue_token, make_workshop

from tracktwo.workers.models import Job

pytestmark = pytest.mark.django_db


@override_settings(TRACKTWO_REDIS_URL="")
def test_it_answers_every_file_in_the_request() -> None:
    workshop = make_workshop()
    assess_tool(workshop.dialogue, workshop.convener, "polis_export")
    dialogue = workshop.dialogue.pk
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(workshop.people[CONVENER])}"}
    api = Client()
    brief = api.get(f"/api/v1/dialogues/{dialogue}/brief?format=pdf", **bearer)
    assert brief.status_code == 200 and brief.content.startswith(b"%PDF-")
    export = api.get(f"/api/v1/dialogues/{dialogue}/export/polis", **bearer)
    assert export.status_code == 200 and export["Content-Type"] == "application/zip"
    pages = Client()
    pages.force_login(workshop.convener)
    preview = pages.get(f"/briefs/dialogues/{dialogue}/preview?format=pdf")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF-")
    report = pages.get(f"/dialogues/{dialogue}/evaluation/report?format=pdf")
    assert report.status_code == 200 and report.content.startswith(b"%PDF-")
    assert not Job.objects.exists()
