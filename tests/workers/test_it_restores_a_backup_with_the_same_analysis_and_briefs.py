"""``tracktwo backup -o FILE`` and ``tracktwo restore FILE``: a round trip gives the same
analysis and the same brief; the file holds no key and no readable confidential text; after
an initiative's wipe its rows in an older backup stay unreadable; mistakes are one line."""

from __future__ import annotations

import base64
import json
import tarfile
from pathlib import Path

import pytest
from cluster import Cluster

pytestmark = pytest.mark.database

VOTE = """
from tracktwo.dialogues.api.voting import fast_vote
from tracktwo.safety.crypto import token_digest
seeded = {seeded!r}
for voter, token in enumerate(seeded["tokens"][:{voters}]):
    for i, statement in enumerate(seeded["statements"]):
        assert fast_vote(token_digest(token), seeded["dialogue"], statement, (1, -1, 0)[(voter + i) % 3])
"""

ANALYSIS = """
import json
from tracktwo.dialogues.models import Dialogue
from tracktwo.insight.json_form import as_json
from tracktwo.insight.service import export_insight
found = export_insight(Dialogue.objects.get(pk={dialogue}))
cuts = {{"exact": as_json(found.exact), "shared": as_json(found.shared)}}
for cut in cuts.values():
    cut.pop("as_of", None)
print(json.dumps(cuts, sort_keys=True, default=str))
"""


def analysis(cluster: Cluster) -> dict[str, object]:
    return dict(json.loads(cluster.django(ANALYSIS.format(dialogue=cluster.seeded["dialogue"]))))


def brief(cluster: Cluster) -> str:
    done = cluster.run("-m", "tracktwo.cli", "brief", str(cluster.seeded["dialogue"]))
    return done.stdout


def tracktwo(cluster: Cluster, *argv: str) -> tuple[int, str, str]:
    done = cluster.run("-m", "tracktwo.cli", *argv, check=False)
    return done.returncode, done.stdout, done.stderr


def test_it_gives_back_the_same_analysis_and_brief(cluster: Cluster, tmp_path: Path) -> None:
    seeded = cluster.seed(voters=10, statements=5)
    cluster.django(VOTE.format(seeded=seeded, voters=8))
    before, brief_before = analysis(cluster), brief(cluster)
    assert before["exact"]["votes_counted"] == 40
    saved = tmp_path / "site.backup"
    code, _out, err = tracktwo(cluster, "backup", "-o", str(saved))
    assert code == 0, err
    # Nothing readable: no key, no statement text, no handle.
    raw = saved.read_bytes()
    master = (tmp_path / "master.key").read_text().strip()
    assert master.encode() not in raw and base64.b64decode(master) not in raw
    assert b"Cluster statement" not in raw and b"voter 3" not in raw
    with tarfile.open(saved) as archive:
        names = sorted(archive.getnames())
    assert names[0] == "database.dump" or names[0] == "database.sqlite3"
    assert names[1] == "manifest.json"
    # Change everything after the backup, then restore it.
    cluster.django(VOTE.format(seeded=seeded, voters=10).replace("(1, -1, 0)", "(0, 1, -1)"))
    assert analysis(cluster)["exact"]["votes_counted"] != 40
    code, _out, err = tracktwo(cluster, "restore", str(saved), "--yes")
    assert code == 0, err
    assert "warning" not in err
    assert analysis(cluster) == before
    assert brief(cluster) == brief_before


def test_it_leaves_a_wiped_initiative_unreadable_in_an_old_backup(
    cluster: Cluster, tmp_path: Path
) -> None:
    seeded = cluster.seed(voters=4, statements=3)
    saved = tmp_path / "before-wipe.backup"
    assert tracktwo(cluster, "backup", "-o", str(saved))[0] == 0
    code, _out, err = tracktwo(
        cluster, "keys", "wipe", "--initiative", str(seeded["initiative"]), "--yes"
    )
    assert code == 0, err
    code, _out, err = tracktwo(cluster, "restore", str(saved), "--yes")
    assert code == 0, err
    assert "sealed contents stay unreadable" in err
    # The rows are back, but they do not open: the data key's master key was shredded.
    code, _out, err = tracktwo(cluster, "brief", str(seeded["dialogue"]))
    assert code == 2 and "Traceback" not in err, err
    probe = cluster.django(
        "from tracktwo.dialogues.models import Statement\n"
        "from tracktwo.safety.datakeys import box_for, DataKeyUnavailable\n"
        f"print(Statement.objects.filter(dialogue_id={seeded['dialogue']}).count())\n"
        "try:\n"
        f"    box_for({seeded['initiative']})\n"
        "except DataKeyUnavailable:\n"
        "    print('unreadable')\n"
    )
    assert probe.split() == ["3", "unreadable"]


def test_it_explains_mistakes_in_one_line(cluster: Cluster, tmp_path: Path) -> None:
    cluster.seed(voters=1, statements=1)
    not_backup = tmp_path / "notes.txt"
    not_backup.write_text("hello")
    cases = [
        (("restore", str(tmp_path / "missing.backup"), "--yes"), "no such file"),
        (("restore", str(not_backup), "--yes"), "not a tracktwo backup"),
        (("backup", "-o", str(tmp_path / "nowhere" / "b.backup")), "does not exist"),
        (("backup", "-o", str(not_backup)), "already exists"),
    ]
    for argv, message in cases:
        code, out, err = tracktwo(cluster, *argv)
        assert code == 2, (argv, out, err)
        assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    saved = tmp_path / "ok.backup"
    assert tracktwo(cluster, "backup", "-o", str(saved))[0] == 0
    code, out, err = tracktwo(cluster, "restore", str(saved))  # no terminal, no --yes
    assert code == 2 and "--yes" in err
