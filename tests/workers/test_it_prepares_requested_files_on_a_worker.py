"""With REDIS_URL, the API's brief PDF and Pol.is export are prepared on a worker: 202 and a
job; the requester downloads the file, audited as in the request path; nobody else gets it.
Real ``tracktwo serve`` and ``tracktwo worker`` processes, real Redis."""

from __future__ import annotations

import io
import zipfile

import pytest
from cluster import Cluster, call
from jobs_support import audited, download, people, wait_done

pytestmark = pytest.mark.database


def test_it_prepares_a_brief_and_an_export_for_their_requester_alone(cluster: Cluster) -> None:
    seeded = cluster.seed(voters=6, statements=4)
    others = people(cluster)
    _, port = cluster.serve()
    cluster.worker()
    dialogue, convener = seeded["dialogue"], seeded["facilitator"]
    for voter in range(6):
        for statement in range(4):
            assert (
                cluster.vote(port, voter, statement, ("agree", "disagree")[voter % 2]).status == 201
            )

    asked = call(port, "GET", f"/api/v1/dialogues/{dialogue}/brief?format=pdf", convener)
    assert asked.status == 202, asked
    job = asked.body
    assert job["kind"] == "brief" and job["status"] in ("queued", "running", "done")
    assert asked.headers["location"] == job["status_url"] == f"/api/v1/jobs/{job['id']}"
    done = wait_done(port, job["status_url"], convener)
    assert done.body["status"] == "done", done
    pdf = download(port, done.body["file_url"], convener)
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    assert pdf.body.startswith(b"%PDF-") and len(pdf.body) == done.body["bytes"]
    assert audited(cluster, "brief.exported") == ["user"]  # one row, as the requester's act

    # Nobody else: another initiative's facilitator, a colleague on the same dialogue, a
    # participant of it (403, as for the brief itself).
    for path in (job["status_url"], done.body["file_url"]):
        assert call(port, "GET", path, others["far_facilitator"]).status == 404
        assert call(port, "GET", path, others["colleague"]).status == 404
        assert call(port, "GET", path, seeded["tokens"][0]).status == 403
    assert call(port, "GET", "/api/v1/jobs/" + "0" * 32, convener).status == 404

    exported = call(port, "GET", f"/api/v1/dialogues/{dialogue}/export/polis", convener)
    assert exported.status == 202 and exported.body["kind"] == "polis-export"
    assert call(port, "GET", exported.body["status_url"], others["colleague"]).status == 403
    done = wait_done(port, exported.body["status_url"], convener)
    assert done.body["status"] == "done", done
    archive = download(port, done.body["file_url"], convener)
    assert archive.status == 200 and archive.content_type == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.body)).namelist()
    assert sorted(names) == ["comments.csv", "participants-votes.csv", "votes.csv"]
    assert audited(cluster, "dialogue.exported") == ["user"]
    # Asked for by the colleague, refused before any job is made: conveners only.
    assert (
        call(port, "GET", f"/api/v1/dialogues/{dialogue}/export/polis", others["colleague"]).status
        == 403
    )
