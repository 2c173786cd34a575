"""Read models of a joint text (decrypted, permission-free: callers check first).

Amendments come without their writer; ``mine`` is computed from the reader's opaque key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracktwo.analysis.schulze import SchulzeResult
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.jointtext import agreement, rules
from tracktwo.jointtext.models import Amendment, JointText, RankedBallot, TextVersion
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box


@dataclass(frozen=True)
class VersionView:
    number: int
    paragraphs: list[dict[str, Any]]
    note: str
    candidate: bool
    created_at: datetime


@dataclass(frozen=True)
class AmendmentView:
    id: int
    version: int
    paragraph: int | None
    text: str
    state: str
    mine: bool


def _version(v: TextVersion, box: Box) -> VersionView:
    return VersionView(
        v.number, v.paragraphs.read(box), v.note.read(box), v.candidate, v.created_at
    )


def ranking_table(ranked: SchulzeResult | None) -> dict[str, Any] | None:
    """The Schulze result as plain data: order, ties, pairwise counts and path strengths."""
    if ranked is None:
        return None
    names = list(ranked.candidates)
    return {
        "candidates": [int(n) for n in names],
        "order": [int(n) for n in ranked.order],
        "winner": int(ranked.winner),
        "ties": [[int(n) for n in tie] for tie in ranked.ties],
        "ballots": ranked.n_ballots,
        "empty_ballots": ranked.n_empty,
        "pairwise": [[int(x) for x in row] for row in ranked.pairwise],
        "strongest_paths": [[int(x) for x in row] for row in ranked.strength],
    }


def state(dialogue: Dialogue, reader: Participant | None) -> dict[str, Any]:
    """Everything the joint-text pages and API show; ``reader``'s own rows marked ``mine``."""
    joint_text = JointText.objects.filter(dialogue=dialogue).first()
    if joint_text is None:
        return {"dialogue": dialogue.pk, "joint_text": None}
    box = box_for(dialogue.initiative_id)
    versions = [_version(v, box) for v in TextVersion.objects.filter(joint_text=joint_text)]
    own = rules.voter_key(box, joint_text, reader) if reader is not None else None
    amendments = [
        AmendmentView(
            a.pk, a.version.number, a.paragraph, a.text.read(box), a.state, a.author == own
        )
        for a in Amendment.objects.filter(version__joint_text=joint_text).select_related("version")
    ]
    ballot = RankedBallot.objects.filter(joint_text=joint_text, voter=own or "").first()
    agreed = joint_text.agreed_version
    publishable = joint_text.publishable_version
    return {
        "dialogue": dialogue.pk,
        "joint_text": joint_text.pk,
        "kind": joint_text.kind,
        "title": joint_text.title.read(box),
        "versions": versions,
        "latest": versions[-1] if versions else None,
        "amendments": amendments,
        "candidates": [v.number for v in versions if v.candidate],
        "ranking_open": joint_text.ranking_open,
        "my_ranking": ballot.ranking.read(box) if ballot else None,
        "ballots": RankedBallot.objects.filter(joint_text=joint_text).count(),
        "agreed": agreed.number if agreed else None,
        "agreed_at": joint_text.agreed_at,
        "distribution": joint_text.distribution.read(box),
        "publishable": publishable.number if publishable else None,
        "published_at": joint_text.published_at,
        "approved_by_me": bool(own) and joint_text.approvals.filter(voter=own).exists(),
    }


def ranking(dialogue: Dialogue) -> dict[str, Any] | None:
    joint_text = JointText.objects.filter(dialogue=dialogue).first()
    return ranking_table(agreement.result(joint_text)) if joint_text else None


__all__ = ["AmendmentView", "VersionView", "ranking", "ranking_table", "state"]
