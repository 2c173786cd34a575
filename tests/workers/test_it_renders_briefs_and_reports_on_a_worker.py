"""The worker's other tasks: a draft brief as PDF and an evaluation report, written whole to
the path given, with the brief's export audited once; a mistake is not retried."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cluster import Cluster

pytestmark = pytest.mark.database

SEND = """
import json
from tracktwo.workers.queue import send
try:
    print(json.dumps(send({name!r}, *{args!r}).get(timeout=120)))
except Exception as exc:
    print(json.dumps({{"failed": type(exc).__name__, "message": str(exc)}}))
"""

AUDITED = """
from tracktwo.safety.models import AuditEvent
print(AuditEvent.objects.filter(action="brief.exported").count())
"""


def send(cluster: Cluster, name: str, *args: object) -> dict[str, object]:
    return dict(json.loads(cluster.django(SEND.format(name=name, args=args))))


def test_it_renders_a_brief_and_a_report(cluster: Cluster, tmp_path: Path) -> None:
    seeded = cluster.seed(voters=6, statements=4)
    cluster.worker()
    pdf = tmp_path / "brief.pdf"
    done = send(cluster, "tracktwo.brief", seeded["dialogue"], None, "pdf", str(pdf))
    assert done["path"] == str(pdf) and done["bytes"] == pdf.stat().st_size
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert cluster.django(AUDITED).strip() == "1"
    report = tmp_path / "evaluation.json"
    done = send(cluster, "tracktwo.evaluation", seeded["dialogue"], str(report))
    assert json.loads(report.read_text())["survey"] is False  # no survey in this dialogue
    assert sorted(p.name for p in tmp_path.iterdir() if ".partial" in p.name) == []
    # A mistake (an unknown format) fails at once, without retries and without a file.
    failed = send(cluster, "tracktwo.brief", seeded["dialogue"], None, "docx", str(tmp_path / "x"))
    assert "failed" in failed and not (tmp_path / "x").exists()
