"""Render the sample brief in docs/sample-brief/ from the fictional demo initiative.

    .venv/bin/python bench/sample_brief.py [--out docs/sample-brief]

Builds a throw-away database in a temporary folder (its own master key), loads
``tracktwo demo`` (the invented river Lirra), writes a narrative, records two Track One
events, issues the brief to two liaisons and renders copy 1 as PDF, then turns its pages
into PNG files with ``pdftoppm`` (poppler-utils); ``--keep DIR`` also writes the copy's
PDF and Markdown there. Nothing here is real.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NARRATIVE = {
    "title": "Sharing the Lirra: options after the first workshop",
    "context": (
        "The Lirra rises in the Veldrin Uplands and feeds the Oskaro Lowlands' delta. Since "
        "the upland dam was completed, dry summers have brought the two communities into open "
        "dispute, and the official talks on a water agreement have stalled over the minimum "
        "summer flow.\n\nThe first workshop brought together participants from both sides in "
        "a private capacity, to look for ideas the official process could take up."
    ),
    "proposals": (
        "1. A joint monitoring station, run by technicians from both banks, publishing flow "
        "figures weekly, so that both delegations argue from the same numbers.\n"
        "2. A drought protocol that puts drinking water for people before irrigation on both "
        "banks, to be agreed before the next dry season.\n"
        "3. A shared emergency fund for flood and drought years."
    ),
    "next_steps": (
        "A technical session on flow data is planned before the next round of official talks. "
        "The facilitators will offer both ministries a joint briefing on the monitoring idea."
    ),
}


def _setup(workdir: Path) -> None:
    os.environ["TRACKTWO_DATA_DIR"] = str(workdir)
    os.environ["TRACKTWO_MASTER_KEY_FILE"] = str(workdir / "master.key")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracktwo.site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _render(out: Path, workdir: Path, keep: Path | None) -> None:
    from tracktwo.accounts.models import User
    from tracktwo.dialogues.demo import load_demo
    from tracktwo.initiatives import actions as initiative_actions
    from tracktwo.transfer import actions, log

    demo = load_demo("sample brief only, not a real password")
    dialogue, convener = demo.dialogue, demo.user
    initiative = dialogue.initiative
    liaisons = [
        User.objects.create_user(name, password=None) for name in ("liaison-v", "liaison-o")
    ]
    for liaison in liaisons:
        initiative_actions.add_member(initiative, liaison, "liaison", convener)
    initiative_actions.update_initiative(initiative, convener, transfer_model="middle-out")
    log.add_track_one_event(
        initiative,
        convener,
        happened_on="2024-05-20",
        body="Bilateral water talks",
        description="Third round ends without agreement on the minimum summer flow.",
    )
    brief = actions.draft_for(dialogue, None, convener)
    actions.update_narrative(brief, convener, **NARRATIVE)
    copies = actions.issue(
        brief,
        convener,
        [
            (liaisons[0], "Desk officer, Veldrin water ministry"),
            (liaisons[1], "Adviser, Oskaro ministry"),
        ],
    )
    first = copies[0]
    actions.open_link(first.link_token, first.recipient.user)
    pdf = actions.render_copy(first.recipient, "pdf", first.recipient.user).body
    markdown = actions.render_copy(first.recipient, "md", first.recipient.user).body
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()
    (workdir / "sample-brief.pdf").write_bytes(pdf)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / "sample-brief.pdf").write_bytes(pdf)
        (keep / "sample-brief.md").write_bytes(markdown)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(workdir / "sample-brief.pdf"), str(out / "page")],
        check=True,
    )
    pages = sorted(out.glob("page-*.png"))
    print(f"copy {first.recipient.position}, code {first.recipient.code}: {len(pages)} pages")
    for page in pages:
        print(page)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/sample-brief"))
    parser.add_argument("--keep", type=Path, help="also write the PDF and Markdown copy here")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 2
    out = args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="tracktwo-sample-brief-") as tmp:
        _setup(Path(tmp))
        _render(out, Path(tmp), args.keep.resolve() if args.keep else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
