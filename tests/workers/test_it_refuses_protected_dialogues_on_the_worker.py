"""The worker's tasks pass the request path's do-no-harm gates even when called directly:
no export at high risk, nothing out of an off-the-record dialogue -- by the operator's tasks
(``tracktwo.export_polis``, ``tracktwo.brief``) and by a job a user asked for earlier
(``tracktwo.prepare``, when the dialogue changed after the request). Real worker, real Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cluster import Cluster
from jobs_support import audited, people

pytestmark = pytest.mark.database

SEND = """
import json
from tracktwo.workers.queue import send
try:
    print(json.dumps({{"result": send({name!r}, *{args!r}).get(timeout=120)}}))
except Exception as exc:
    print(json.dumps({{"failed": type(exc).__name__, "message": str(exc)}}))
"""

CHANGE = """
from tracktwo.accounts.models import User
from tracktwo.consent import actions as consent
from tracktwo.dialogues.models import Dialogue
dialogue = Dialogue.objects.get(pk={dialogue})
convener = User.objects.get(username="cluster-facilitator")
{change}
"""

JOB = """
import secrets
from tracktwo.accounts.models import User
from tracktwo.workers.models import Job
job = Job.objects.create(
    key=secrets.token_hex(16), kind={kind!r}, dialogue_id={dialogue},
    requested_by=User.objects.get(username="cluster-facilitator"),
    options={{"format": "pdf", "session": None, "language": None, "ui_language": "en"}},
)
print(job.key)
"""

PROBLEM = """
from tracktwo.workers.models import Job
job = Job.objects.get(key={key!r})
print(job.state, job.problem, sep="|")
"""


def send(cluster: Cluster, name: str, *args: object) -> dict[str, object]:
    return dict(json.loads(cluster.django(SEND.format(name=name, args=args))))


def change(cluster: Cluster, code: str) -> None:
    cluster.django(CHANGE.format(dialogue=cluster.seeded["dialogue"], change=code))


def prepared(cluster: Cluster, kind: str) -> tuple[object, str, str]:
    """A job asked for before the dialogue changed, run on the worker: (result, state, why)."""
    key = cluster.django(JOB.format(kind=kind, dialogue=cluster.seeded["dialogue"])).strip()
    result = send(cluster, "tracktwo.prepare", key).get("result")
    state, problem = cluster.django(PROBLEM.format(key=key)).strip().split("|", 1)
    return result, state, problem


def test_it_refuses_a_high_risk_or_off_the_record_dialogue_on_the_worker(
    cluster: Cluster, tmp_path: Path
) -> None:
    seeded = cluster.seed(voters=6, statements=3)
    people(cluster)  # the export is assessed: only the risk refuses it below
    cluster.worker()
    dialogue = seeded["dialogue"]
    out = tmp_path / "out"  # tmp_path is also the site's data dir
    out.mkdir()

    change(cluster, 'consent.set_floor(convener, dialogue, "high")')
    refused = send(cluster, "tracktwo.export_polis", dialogue, str(out / "high"))
    assert refused["failed"] == "Conflict" and "exports are off" in str(refused["message"])
    assert prepared(cluster, "polis-export")[1:] == (
        "failed",
        "exports are off while the dialogue's risk level is high or severe",
    )

    change(cluster, 'consent.set_floor(convener, dialogue, "low")')
    change(
        cluster,
        'dialogue.confidentiality = "off-the-record"\n'
        'dialogue.save(update_fields=["confidentiality"])',
    )
    refused = send(cluster, "tracktwo.export_polis", dialogue, str(out / "off"))
    assert refused["failed"] == "NothingLeaves", refused
    refused = send(cluster, "tracktwo.brief", dialogue, None, "pdf", str(out / "brief.pdf"))
    assert refused["failed"] == "NothingLeaves", refused
    for kind in ("polis-export", "brief"):
        result, state, problem = prepared(cluster, kind)
        assert (result, state) == ("failed", "failed") and "off the record" in problem

    assert list(out.iterdir()) == []  # no file, no folder, no partial
    assert audited(cluster, "dialogue.exported") == [] == audited(cluster, "brief.exported")
    jobs_dir = Path(cluster.env["TRACKTWO_DATA_DIR"]) / "jobs"
    assert not jobs_dir.exists() or list(jobs_dir.iterdir()) == []
