"""The authorisation matrix's row for a liaison's marked copy prepared on a worker.

The matrix's job routes (``workers:job``, ``workers:file``, ``/api/v1/jobs/{key}`` and its
file) are classified with the world's facilitator's brief; a marked copy is a job of
another kind, checked another way (the liaison's own copy, not a role in the dialogue). Here
the same four routes, for a marked copy the world's liaison asked for and a worker prepared,
as every role of the world: the liaison alone reads it; the facilitator and convener who
run the dialogue, the other liaison and everyone else are refused as for a job that is not
there."""

from __future__ import annotations

import secrets

import pytest
from factories import LIAISON
from matrix import API, PAGES, RECIPIENT, Route, Rule
from security_requests import call, requests
from security_world import ROLES, World
from test_it_enforces_the_authorisation_matrix import verdict

from tracktwo.workers import actions as jobs
from tracktwo.workers.models import Job, JobKind

JOB_PAGES = ("workers:job", "workers:file")
JOB_API = ("/api/v1/jobs/{key}", "/api/v1/jobs/{key}/file")
MARKED = {"key": "marked_job"}


def marked_copy_job(world: World) -> str:
    """The world's liaison's marked copy of the issued brief, as PDF, prepared as a worker
    prepares it."""
    liaison = world.people[LIAISON].user
    assert liaison is not None
    job = Job.objects.create(
        key=secrets.token_hex(16),
        kind=JobKind.BRIEF_MARKED_COPY,
        dialogue_id=world.values["dialogue"],
        requested_by=liaison,
        options={
            "format": "pdf",
            "session": None,
            "language": None,
            "recipient": world.values["copy"],
            "ui_language": "en",
        },
    )
    assert jobs.prepare(job.key) == "done"
    return job.key


@pytest.mark.django_db
def test_it_shows_a_liaisons_marked_copy_job_to_that_liaison_alone(world: World) -> None:
    world.values["marked_job"] = marked_copy_job(world)
    pages = {key: Route({"GET": Rule(RECIPIENT)}, MARKED) for key in JOB_PAGES}
    apis = {path: Route({"GET": Rule(RECIPIENT)}, MARKED) for path in JOB_API}
    assert set(JOB_PAGES) <= PAGES.keys() and set(JOB_API) <= API.keys()
    problems: list[str] = []
    count = 0
    for request in requests(world, pages, apis):
        for role in ROLES:
            answer = call(request, world.people[role], world)
            count += 1
            wrong = verdict(request, role, answer)
            if wrong is not None:
                problems.append(f"{request.method} {request.url} as {role}: {wrong}")
    assert count == (2 * 2 + 2) * len(ROLES), count  # pages with GET and POST, the API's GETs
    assert not problems, "\n".join(problems)
