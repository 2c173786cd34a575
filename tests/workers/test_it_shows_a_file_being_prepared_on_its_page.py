"""With REDIS_URL, the brief preview's PDF and the evaluation report's PDF are prepared on a
worker: the page says "being prepared" (reloading itself, no script), then links the file;
a job that a worker refuses says why in a sentence. Real processes, real Redis."""

from __future__ import annotations

import http.client
import re
import time

import pytest
from cluster import Cluster
from jobs_support import download, people

pytestmark = pytest.mark.database

SIGN_IN = """
from django.conf import settings
from django.test import Client
from tracktwo.accounts.models import User
client = Client()
client.force_login(User.objects.get(username={username!r}))
print(f"{{settings.SESSION_COOKIE_NAME}}={{client.cookies[settings.SESSION_COOKIE_NAME].value}}")
"""

OFF_THE_RECORD = """
from tracktwo.dialogues.models import Dialogue
Dialogue.objects.filter(pk={dialogue}).update(confidentiality="off-the-record")
"""


def page(port: int, path: str, cookie: str) -> tuple[int, str, str]:
    """One page, redirects not followed: (status, Location, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        answer = connection.getresponse()
        return answer.status, answer.getheader("Location") or "", answer.read().decode()
    finally:
        connection.close()


def ask(port: int, path: str, cookie: str) -> str:
    """Ask for a file on a page: sent to the job's page; its address."""
    status, location, _body = page(port, path, cookie)
    assert status == 302 and re.fullmatch(r"/jobs/[0-9a-f]{32}/", location), (status, location)
    return location


def settled(port: int, job: str, cookie: str, timeout: float = 90) -> str:
    """Reload the job's page, as its refresh does, until it no longer says "being prepared"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _location, body = page(port, job, cookie)
        assert status == 200
        if "being prepared" not in body:
            return body
        assert '<meta http-equiv="refresh" content="3">' in body
        time.sleep(0.5)
    pytest.fail(f"{job} still being prepared after {timeout} s")


def test_it_says_being_prepared_then_links_the_file(cluster: Cluster) -> None:
    seeded = cluster.seed(voters=6, statements=3)
    people(cluster)
    _, port = cluster.serve()
    dialogue = seeded["dialogue"]
    mine = cluster.django(SIGN_IN.format(username="cluster-facilitator")).strip()
    colleague = cluster.django(SIGN_IN.format(username="cluster-colleague")).strip()

    job = ask(port, f"/briefs/dialogues/{dialogue}/preview?format=pdf", mine)
    status, _, body = page(port, job, mine)  # no worker yet: waiting
    assert status == 200 and "being prepared" in body and "Check again" in body
    assert page(port, job, colleague)[0] == 404
    worker = cluster.worker()
    assert "Your file is ready." in settled(port, job, mine)
    pdf = download(port, f"{job}file", cookie=mine)
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF-")
    assert download(port, f"{job}file", cookie=colleague).status == 404

    report = ask(port, f"/dialogues/{dialogue}/evaluation/report?format=pdf", mine)
    assert "Your file is ready." in settled(port, report, mine)
    assert download(port, f"{report}file", cookie=mine).body.startswith(b"%PDF-")

    # Asked while the dialogue could still be briefed; off the record before a worker ran it.
    cluster.kill(worker)
    refused = ask(port, f"/briefs/dialogues/{dialogue}/preview?format=pdf", mine)
    cluster.django(OFF_THE_RECORD.format(dialogue=dialogue))
    cluster.worker()
    body = settled(port, refused, mine)
    assert "The file was not made:" in body and "off the record" in body
    assert page(port, f"{refused}file", mine)[0] == 200  # the same sentence, no file
    # Asked now, it is refused at once, as in the request path.
    assert page(port, f"/briefs/dialogues/{dialogue}/preview?format=pdf", mine)[0] == 409
