"""Pages of a joint text: the participants' (read, amend, rank, approve) and the desk.

The desk (facilitators write; observers read) starts the text, writes versions (the
paragraphs, one per blank-line-separated block, and which amendments it takes in), proposes
paragraphs from common ground, opens the ranking, records the agreed text and its
distribution list, and takes it to publication. The ranking page shows the Schulze result.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import dialogue_page, not_found, participant_page, user_of
from tracktwo.initiatives import permissions
from tracktwo.jointtext import agreement, drafting, queries, rules
from tracktwo.jointtext.models import JointText, TextKind
from tracktwo.practice.errors import DialogueError, InvalidInput
from tracktwo.practice.formats import ParticipantRole

PARTICIPANT_ACTS = ("amend", "rank", "approve")
DESK_ACTS = (
    "start",
    "version",
    "common-ground",
    "open-ranking",
    "agree",
    "distribution",
    "publishable",
    "publish",
)


def _kinds() -> list[tuple[str, str]]:
    return [
        (TextKind.JOINT_MEMORANDUM, _("Joint memorandum")),
        (TextKind.NON_PAPER, _("Non-paper")),
    ]


def _context(dialogue: Dialogue, reader: Participant | None, **extra: Any) -> dict[str, Any]:
    data = queries.state(dialogue, reader)
    versions = {v.number: v for v in data.get("versions", [])}
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "jt": data,
        "kind_name": dict(_kinds()).get(data.get("kind", ""), ""),
        "agreed_version": versions.get(data.get("agreed") or 0),
        "publishable_version": versions.get(data.get("publishable") or 0),
        "candidate_versions": [versions[n] for n in data.get("candidates", [])],
        "negotiating": dialogue.format != "living-room",
        "kinds": _kinds(),
        "tab": "joint-text",
        **extra,
    }


def _numbers(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def _ranking_from(request: HttpRequest, candidates: list[int]) -> list[int]:
    """Candidate numbers ordered by the rank chosen for each (blank: not ranked)."""
    chosen = []
    for number in candidates:
        raw = request.POST.get(f"rank-{number}", "").strip()
        if raw.isdigit():
            chosen.append((int(raw), number))
    ranks = [r for r, _n in chosen]
    if len(set(ranks)) != len(ranks):
        raise InvalidInput(_("give each version a different place"), field="ranking")
    return [n for _r, n in sorted(chosen)]


@require_GET
@participant_page()
def text(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The latest version, one's amendments, the ranking, the agreed text."""
    context = _context(
        participant.dialogue,
        participant,
        quick_exit=True,
        participant=participant,
        is_observer=participant.role != ParticipantRole.PARTICIPANT,
    )
    return render(request, "jointtext/text.html", context)


@require_POST
@participant_page()
def text_act(request: HttpRequest, participant: Participant, act: str) -> HttpResponse:
    """Propose an amendment, rank the candidates, approve publication."""
    if act not in PARTICIPANT_ACTS:
        return not_found(request)
    try:
        if act == "amend":
            raw = request.POST.get("paragraph", "").strip()
            paragraph = int(raw) if raw.isdigit() else None
            drafting.amend(participant, paragraph, request.POST.get("text", ""))
            messages.success(
                request, _("Your amendment is proposed. Nobody sees that it is yours.")
            )
        elif act == "rank":
            joint_text = rules.joint_text_of(participant.dialogue)
            numbers = [v.number for v in agreement.candidates(joint_text)]
            agreement.rank(participant, _ranking_from(request, numbers))
            messages.success(request, _("Your ranking is saved."))
        else:
            agreement.approve(participant)
            messages.success(request, _("You approved publishing this version."))
    except DialogueError as problem:
        messages.error(request, problem.message)
    return redirect("jointtext:text", dialogue_id=participant.dialogue_id)


@require_GET
@dialogue_page("observe")
def desk(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The joint text's history and the facilitators' controls."""
    may_facilitate = permissions.can_facilitate(request.user, dialogue)
    context = _context(dialogue, None, may_facilitate=may_facilitate)
    joint_text = JointText.objects.filter(dialogue=dialogue).first()
    context["approvals"] = (
        list(agreement.approvals_by_side(joint_text).values())
        if joint_text and may_facilitate
        else []
    )
    return render(request, "jointtext/desk.html", context)


@require_GET
@dialogue_page("observe")
def ranking(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The Schulze ranking of the candidate versions: order, ties, pairwise table."""
    table = queries.ranking(dialogue)
    may_facilitate = permissions.can_facilitate(request.user, dialogue)
    context = _context(dialogue, None, ranking=table, may_facilitate=may_facilitate)
    if table is not None:
        names = table["candidates"]
        context["rows"] = [
            (n, list(zip(names, table["pairwise"][i], table["strongest_paths"][i], strict=True)))
            for i, n in enumerate(names)
        ]
    return render(request, "jointtext/ranking.html", context)


def _paragraphs(raw: str, previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Blocks separated by blank lines; a block equal to a previous paragraph keeps its source."""
    sources = {p["text"]: p.get("statement") for p in previous}
    blocks = [b.strip() for b in re.split(r"\n\s*\n", raw.replace("\r\n", "\n")) if b.strip()]
    return [{"text": b, "statement": sources.get(b)} for b in blocks]


def _desk_act(request: HttpRequest, dialogue: Dialogue, act: str) -> str:
    user, post = user_of(request), request.POST
    if act == "start":
        drafting.start(dialogue, post.get("kind", ""), post.get("title", ""), user)
        return _("The joint text is started: write its first version.")
    joint_text = rules.joint_text_of(dialogue)
    if act == "version":
        latest = queries.state(dialogue, None)["latest"]
        paragraphs = _paragraphs(post.get("paragraphs", ""), latest.paragraphs if latest else [])
        taken = _numbers(post.getlist("take"))
        candidate = post.get("candidate") == "on"
        version = drafting.add_version(
            joint_text, paragraphs, post.get("note", ""), user, candidate=candidate, taken=taken
        )
        return _("Version %(n)d is saved.") % {"n": version.number}
    if act == "common-ground":
        version = drafting.propose_from_common_ground(joint_text, user)
        return _("Version %(n)d adds paragraphs from common ground.") % {"n": version.number}
    if act == "open-ranking":
        agreement.open_ranking(joint_text, _numbers(post.getlist("versions")), user)
        return _("The ranking is open.")
    if act == "agree":
        version = agreement.agree(joint_text, user)
        return _("Version %(n)d is the agreed text.") % {"n": version.number}
    if act == "distribution":
        lines = [line for line in post.get("recipients", "").splitlines() if line.strip()]
        agreement.set_distribution(joint_text, lines, user)
        return _("The distribution list is saved.")
    if act == "publishable":
        raw = post.get("version", "")
        agreement.propose_publication(joint_text, int(raw) if raw.isdigit() else 0, user)
        return _("The publishable version is put to the group for approval.")
    agreement.publish(joint_text, user)
    return _("The joint text is published.")


@require_POST
@dialogue_page("facilitate")
def desk_act(request: HttpRequest, dialogue: Dialogue, act: str) -> HttpResponse:
    """One of the facilitators' steps (see the module docstring)."""
    if act not in DESK_ACTS:
        return not_found(request)
    try:
        messages.success(request, _desk_act(request, dialogue, act))
    except DialogueError as problem:
        messages.error(request, problem.message)
    return redirect("jointtext:desk", dialogue_id=dialogue.pk)
