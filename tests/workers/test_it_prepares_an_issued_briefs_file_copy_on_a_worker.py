"""With REDIS_URL, an issued brief's file copy as PDF is prepared on a worker, like the draft's:
the page sends the convener to the job's page, then the file, audited once as in the request
path; the worker checks again what the request path checks (the requester still facilitates
the dialogue, the brief is issued) and refuses with the reason otherwise; Markdown and HTML
still come in the request. Real ``tracktwo serve`` and ``tracktwo worker``, real Redis."""

from __future__ import annotations

import io

import pytest
from cluster import Cluster
from jobs_support import SIGN_IN, ask, audited, download, page, people, settled
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
liaison = accounts.create_account("cluster-liaison")
initiatives.add_member(dialogue.initiative, liaison, "liaison", convener)
consent.assess_tool(
    convener, dialogue, "briefs", exposes="Totals per side only.",
    worst_case="A side's position read as a concession.", mitigation="Small cells withheld.",
    enabled=True,
)
issued = transfer.draft_for(dialogue, None, convener)
transfer.issue(issued, convener, [(liaison, "Desk")])
draft = transfer.draft_for(dialogue, None, convener)  # a new draft: it has no file copy
print(json.dumps({{"issued": issued.pk, "draft": draft.pk}}))
"""

DEMOTE = """
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiatives
dialogue = Dialogue.objects.select_related("initiative").get(pk={dialogue})
initiatives.remove_member(
    dialogue.initiative, User.objects.get(username="cluster-colleague"),
    User.objects.get(username="cluster-facilitator"), dialogue=dialogue,
)
"""


def test_it_prepares_the_file_copy_on_a_worker_and_checks_again_there(cluster: Cluster) -> None:
    seeded = cluster.seed(voters=6, statements=3)
    people(cluster)  # adds a colleague who facilitates the dialogue
    _, port = cluster.serve()
    dialogue = seeded["dialogue"]
    for voter in range(6):
        for statement in range(3):
            assert cluster.vote(port, voter, statement, ("agree", "disagree")[voter % 2]).status
    briefs = __import__("json").loads(cluster.django(ISSUE.format(dialogue=dialogue)))
    mine = cluster.django(SIGN_IN.format(username="cluster-facilitator")).strip()
    colleague = cluster.django(SIGN_IN.format(username="cluster-colleague")).strip()
    copy = f"/briefs/{briefs['issued']}/file-copy"

    # Asked for by the colleague while no worker runs; then they lose their role.
    theirs = ask(port, f"{copy}?format=pdf", colleague)
    cluster.django(DEMOTE.format(dialogue=dialogue))
    key = ask(port, f"{copy}?format=pdf", mine)
    assert page(port, f"/jobs/{key}/", colleague)[0] in (403, 404)  # the requester's alone
    # A draft has no file copy: refused in the request, no job made.
    assert page(port, f"/briefs/{briefs['draft']}/file-copy?format=pdf", mine)[0] == 404

    cluster.worker()
    assert settled(cluster, key)[:2] == ["brief-file-copy", "done"]
    kind, state, problem = settled(cluster, theirs)
    assert (kind, state) == ("brief-file-copy", "failed") and problem, problem
    pdf = download(port, f"/jobs/{key}/file", cookie=mine)
    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert "file copy" in text.lower() and "not for distribution" in text.lower()
    # One audit row, the requester's; the refused job wrote none.
    assert audited(cluster, "brief.exported") == ["user"]

    # Markdown and HTML still come in the request.
    status, _, body = page(port, f"{copy}?format=md", mine)
    assert status == 200 and b"not for distribution" in body
    assert audited(cluster, "brief.exported") == ["user", "user"]
