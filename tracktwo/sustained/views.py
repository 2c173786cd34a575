"""Pages of a Sustained Dialogue: the group's page (participants, on a phone) and the desk.

Both show the stage the group is at, the markers of every stage transition, the memorandum
carried forward from the last meeting, the relationship map (latest version, the older
ones below) and the stage-4 scenarios. Facilitators also start the next meeting, move the
group between stages and write the meeting's memorandum. Forms post, then redirect; a
refusal (wrong format, wrong stage, bad input) is a plain sentence on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tracktwo.dialogues import actions as dialogue_actions
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.queries import reading
from tracktwo.dialogues.views.common import dialogue_page, not_found, participant_page, user_of
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import DialogueError
from tracktwo.practice.formats import DialogueFormat, ParticipantRole
from tracktwo.sustained import actions, queries, rules, stages

GROUP_ACTS = ("map", "scenario")
DESK_ACTS = ("meeting", "stage", "memorandum", *GROUP_ACTS)


def _context(dialogue: Dialogue, **extra: Any) -> dict[str, Any]:
    sustained = dialogue.format == DialogueFormat.SUSTAINED_DIALOGUE
    return {
        "dialogue": reading.dialogue_view(dialogue),
        "sustained": sustained,
        "state": queries.overview(dialogue) if sustained else None,
        "elements": [(k, str(n), str(h)) for k, n, h in stages.ELEMENTS],
        "questions": [(k, str(q)) for k, q in stages.QUESTIONS],
        "stage_choices": [(n, stages.stage_name(n)) for n in stages.STAGES],
        "scenario_stage": stages.SCENARIO_STAGE,
        "tab": "sustained",
        **extra,
    }


def _map_and_scenario(request: HttpRequest, dialogue: Dialogue, act: str, by: Any) -> None:
    post = request.POST
    if act == "map":
        given = {key: post.get(key, "") for key in stages.ELEMENT_KEYS}
        actions.save_relationship_map(dialogue, given, by)
        messages.success(request, _("The relationship map is saved as a new version."))
    else:
        answers = {key: post.get(key, "") for key in ("title", *stages.QUESTION_KEYS)}
        raw = post.get("worksheet", "").strip()
        worksheet = int(raw) if raw.isdigit() else None
        actions.save_scenario(dialogue, answers, by, worksheet_id=worksheet)
        messages.success(request, _("The scenario is saved."))


@require_GET
@participant_page()
def group(request: HttpRequest, participant: Participant) -> HttpResponse:
    """The group's page: stage, markers, what we agreed to pick up, the map, scenarios."""
    context = _context(
        participant.dialogue,
        quick_exit=True,
        participant=participant,
        is_observer=participant.role != ParticipantRole.PARTICIPANT,
        may_write=participant.role == ParticipantRole.PARTICIPANT,
    )
    return render(request, "sustained/group.html", context)


@require_POST
@participant_page()
def group_act(request: HttpRequest, participant: Participant, act: str) -> HttpResponse:
    """A participant saves a new version of the map, or a scenario."""
    if act not in GROUP_ACTS:
        return not_found(request)
    try:
        _map_and_scenario(request, participant.dialogue, act, participant)
    except DialogueError as problem:
        messages.error(request, problem.message)
    return redirect("sustained:group", dialogue_id=participant.dialogue_id)


@require_GET
@dialogue_page("observe")
def desk(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The facilitators' page of the series (observers read it)."""
    may_facilitate = permissions.can_facilitate(request.user, dialogue)
    context = _context(dialogue, may_facilitate=may_facilitate, may_write=may_facilitate)
    return render(request, "sustained/desk.html", context)


@require_POST
@dialogue_page("facilitate")
def desk_act(request: HttpRequest, dialogue: Dialogue, act: str) -> HttpResponse:
    """Start the next meeting, move to a stage, write the memorandum, save a map or scenario."""
    if act not in DESK_ACTS:
        return not_found(request)
    user, post = user_of(request), request.POST
    try:
        if act == "meeting":
            rules.require_sustained(dialogue, _("a meeting of the series"))
            session = dialogue_actions.start_session(dialogue, user)
            messages.success(request, _("Meeting %(n)d has started.") % {"n": session.number})
        elif act == "stage":
            raw = post.get("stage", "")
            stage = int(raw) if raw.isdigit() else 0
            actions.move_to_stage(dialogue, stage, post.get("marker", ""), user)
            messages.success(request, _("The group is now at stage %(n)d.") % {"n": stage})
        elif act == "memorandum":
            meeting = rules.current_meeting(dialogue)
            actions.write_memorandum(
                meeting, post.get("summary", ""), post.get("pick_up", ""), user
            )
            messages.success(request, _("The memorandum of this meeting is saved."))
        else:
            _map_and_scenario(request, dialogue, act, user)
    except DialogueError as problem:
        messages.error(request, problem.message)
    return redirect("sustained:desk", dialogue_id=dialogue.pk)
