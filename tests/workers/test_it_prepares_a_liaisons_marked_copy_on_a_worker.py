"""With REDIS_URL, a liaison's marked copy as PDF is prepared on a worker, like the
conveners' file copy: the copy's page sends the liaison to the job's page, then the file --
marked with their own code, audited once as a download as in the request path. The job is
the liaison's alone; the worker checks again what the request path checks (their copy, not
withdrawn nor expired) and refuses with the reason otherwise; the file stops being served
once the copy is withdrawn. Markdown and HTML still come in the request. Real
``tracktwo serve`` and ``tracktwo worker``, real Redis."""

from __future__ import annotations

import io
import json

import pytest
from cluster import Cluster
from jobs_support import SIGN_IN, ask, audited, download, page, settled
from pypdf import PdfReader

pytestmark = pytest.mark.database

ISSUE = """
import json
from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User
from tracktwo.consent import actions as consent
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiatives
from tracktwo.transfer import actions as transfer
dialogue = Dialogue.objects.select_related("initiative").get(pk={dialogue})
convener = User.objects.get(username="cluster-facilitator")
consent.assess_tool(
    convener, dialogue, "briefs", exposes="Totals per side only.",
    worst_case="A side's position read as a concession.", mitigation="Small cells withheld.",
    enabled=True,
)
liaisons = []
for name in ("cluster-liaison-a", "cluster-liaison-b"):
    liaisons.append(accounts.create_account(name))
    initiatives.add_member(dialogue.initiative, liaisons[-1], "liaison", convener)
copies = transfer.issue(
    transfer.draft_for(dialogue, None, convener), convener,
    [(liaisons[0], "Desk A"), (liaisons[1], "Desk B")],
)
for copy, liaison in zip(copies, liaisons):
    transfer.open_link(copy.link_token, liaison)
print(json.dumps([{{"id": c.recipient.pk, "code": c.recipient.code}} for c in copies]))
"""

REVOKE = """
from tracktwo.accounts.models import User
from tracktwo.transfer import actions as transfer
from tracktwo.transfer.models import BriefRecipient
transfer.revoke(
    BriefRecipient.objects.select_related("brief__dialogue").get(pk={recipient}),
    User.objects.get(username="cluster-facilitator"),
)
"""


def test_it_prepares_the_marked_copy_on_a_worker_and_checks_again_there(
    cluster: Cluster,
) -> None:
    seeded = cluster.seed(voters=6, statements=3)
    _, port = cluster.serve()
    for voter in range(6):
        for statement in range(3):
            assert cluster.vote(port, voter, statement, ("agree", "disagree")[voter % 2]).status
    a, b = json.loads(cluster.django(ISSUE.format(dialogue=seeded["dialogue"])))
    cookie_a = cluster.django(SIGN_IN.format(username="cluster-liaison-a")).strip()
    cookie_b = cluster.django(SIGN_IN.format(username="cluster-liaison-b")).strip()
    convener = cluster.django(SIGN_IN.format(username="cluster-facilitator")).strip()

    # Liaison B asks while no worker runs; then the conveners withdraw B's copy.
    theirs = ask(port, f"/briefs/copies/{b['id']}/pdf", cookie_b)
    cluster.django(REVOKE.format(recipient=b["id"]))
    key = ask(port, f"/briefs/copies/{a['id']}/pdf", cookie_a)
    for other in (cookie_b, convener):  # the liaison's alone: not even the conveners'
        assert page(port, f"/jobs/{key}/", other)[0] == 404
    # Someone else's copy: the same 404 as in the request path, no job made.
    assert page(port, f"/briefs/copies/{a['id']}/pdf", cookie_b)[0] == 404
    before = cluster.django("from tracktwo.workers.models import Job; print(Job.objects.count())")
    assert before.strip() == "2"

    cluster.worker()
    assert settled(cluster, key)[:2] == ["brief-marked-copy", "done"]
    kind, state, problem = settled(cluster, theirs)
    assert (kind, state) == ("brief-marked-copy", "failed") and "withdrawn" in problem, problem
    pdf = download(port, f"/jobs/{key}/file", cookie=cookie_a)
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    document = PdfReader(io.BytesIO(pdf.body))
    text = "\n".join(p.extract_text() for p in document.pages)
    assert a["code"] in text and b["code"] not in text  # marked with A's code alone
    assert document.metadata is not None and document.metadata.get("/Keywords") == a["code"]
    # One audit row, the liaison's download; the refused job wrote none.
    assert audited(cluster, "brief.downloaded") == ["user"]

    # Markdown still comes in the request, audited there.
    status, _, body = page(port, f"/briefs/copies/{a['id']}/md", cookie_a)
    assert status == 200 and a["code"].encode() in body
    assert audited(cluster, "brief.downloaded") == ["user", "user"]

    # Withdrawn later: the prepared file is no longer served, as the copy's page is not.
    cluster.django(REVOKE.format(recipient=a["id"]))
    assert page(port, f"/jobs/{key}/file", cookie_a)[0] == 403
    assert download(port, f"/jobs/{key}/file", cookie=cookie_a).body[:4] != b"%PDF"
