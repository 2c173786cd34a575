"""For the tests of files prepared on workers: the people around the cluster's dialogue, and
raw downloads (a file is not JSON)."""

from __future__ import annotations

import http.client
import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest
from cluster import Cluster, Response, call

PEOPLE = r"""
import json
from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User
from tracktwo.consent import actions as consent
from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiative_actions
dialogue = Dialogue.objects.select_related("initiative").get(pk={dialogue})
convener = User.objects.get(username="cluster-facilitator")
colleague = accounts.create_account("cluster-colleague")
initiative_actions.add_member(
    dialogue.initiative, colleague, "facilitator", convener, dialogue=dialogue
)
stranger = accounts.create_account("far-convener", convener=True)
far = initiative_actions.create_initiative(stranger, "Far hills", ["East", "West"])
far_dialogue = dialogue_actions.create_dialogue(
    far, "Far workshop", "problem-solving-workshop", "chatham-house", stranger
)
far_facilitator = accounts.create_account("far-facilitator")
initiative_actions.add_member(far, far_facilitator, "facilitator", stranger, dialogue=far_dialogue)
consent.assess_tool(
    convener, dialogue, "polis_export", exposes="Totals per side only.",
    worst_case="A side's position read as a concession.", mitigation="Small cells withheld.",
    enabled=True,
)
print(json.dumps({{
    "colleague": accounts.issue_token(colleague, "jobs")[1],
    "far_facilitator": accounts.issue_token(far_facilitator, "jobs")[1],
}}))
"""

AUDIT = """
from tracktwo.safety.models import AuditEvent
print(sorted(AuditEvent.objects.filter(action={action!r}).values_list("actor_kind", flat=True)))
"""


@dataclass
class Download:
    status: int
    body: bytes
    content_type: str


def people(cluster: Cluster) -> dict[str, str]:
    """Tokens of a second facilitator of the dialogue and of another initiative's facilitator
    (the Pol.is export of the dialogue is assessed)."""
    return dict(json.loads(cluster.django(PEOPLE.format(dialogue=cluster.seeded["dialogue"]))))


def audited(cluster: Cluster, action: str) -> list[str]:
    """The actor kinds of the audit rows of ``action``."""
    return list(json.loads(cluster.django(AUDIT.format(action=action)).replace("'", '"')))


def download(port: int, path: str, token: str = "", cookie: str = "") -> Download:
    headers = {"Authorization": f"Bearer {token}"} if token else {"Cookie": cookie}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - http://
            return Download(answer.status, answer.read(), answer.headers["Content-Type"])
    except urllib.error.HTTPError as error:
        return Download(error.code, error.read(), error.headers.get("Content-Type", ""))


def wait_done(port: int, status_url: str, token: str, timeout: float = 90) -> Response:
    """Poll a job (as a client does, every Retry-After) until it is done or failed."""
    deadline = time.monotonic() + timeout
    last = call(port, "GET", status_url, token)
    while time.monotonic() < deadline:
        last = call(port, "GET", status_url, token)
        if last.status != 200 or last.body["status"] in ("done", "failed"):
            return last
        time.sleep(0.5)
    pytest.fail(f"the job was not prepared in {timeout} s: {last}")


SIGN_IN = """
from django.conf import settings
from django.test import Client
from tracktwo.accounts.models import User
client = Client()
client.force_login(User.objects.get(username={username!r}))
print(f"{{settings.SESSION_COOKIE_NAME}}={{client.cookies[settings.SESSION_COOKIE_NAME].value}}")
"""

JOB = """
from tracktwo.workers.models import Job
job = Job.objects.get(key={key!r})
print(job.kind, job.state, job.problem, sep="|")
"""


def page(port: int, path: str, cookie: str) -> tuple[int, str, bytes]:
    """One page, redirects not followed: (status, Location, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        answer = connection.getresponse()
        return answer.status, answer.getheader("Location") or "", answer.read()
    finally:
        connection.close()


def ask(port: int, path: str, cookie: str) -> str:
    """Ask for a PDF prepared on a worker: sent to the job's page; the job's key."""
    status, location, _body = page(port, path, cookie)
    found = re.fullmatch(r"/jobs/([0-9a-f]{32})/", location)
    assert status == 302 and found, (status, location)
    return found.group(1)


def settled(cluster: Cluster, key: str, timeout: float = 90) -> list[str]:
    """The job's kind, state and problem once a worker has finished with it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = cluster.django(JOB.format(key=key)).strip().split("|", 2)
        if row[1] in ("done", "failed"):
            return row
        time.sleep(0.5)
    pytest.fail(f"job {key} not finished after {timeout} s")
