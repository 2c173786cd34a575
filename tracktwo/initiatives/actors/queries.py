"""Read models of the actor map and a dialogue's delegation: decrypted, permission-free.

Views and API routes check the caller first (the actor map, the pool and its screening
notes: conveners only). The delegation balance is the one thing that leaves the
conveners (the dashboard, observers, briefs): its counts go through the one suppression,
:mod:`tracktwo.insight.suppression`, applied by :mod:`tracktwo.insight.delegation`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, Participant, Profile
from tracktwo.initiatives.actors import csv_io, graph
from tracktwo.initiatives.actors.models import (
    Actor,
    ActorTie,
    ActorTrack,
    Candidate,
    DelegationPlan,
    Draw,
    Level,
)
from tracktwo.initiatives.models import Initiative, Party
from tracktwo.practice.formats import ParticipantRole
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

BALANCE_CATEGORIES = ("side", "track", "gender", "region", "level")


@dataclass(frozen=True)
class ActorView:
    id: int
    kind: str
    name: str
    side: str
    party_id: int | None
    track: str
    level: str
    influence: int
    access: int
    decision_maker: bool
    gender: str
    region: str
    notes: str


def sides(initiative_id: int, box: Box) -> dict[int, str]:
    return {p.pk: p.name.read(box) for p in Party.objects.filter(initiative_id=initiative_id)}


def actors(initiative: Initiative, box: Box | None = None) -> list[ActorView]:
    box = box or box_for(initiative.pk)
    names = sides(initiative.pk, box)
    out = []
    for actor in Actor.objects.filter(initiative=initiative).order_by("id"):
        details = actor.details.read(box) or {}
        out.append(
            ActorView(
                actor.pk,
                actor.kind,
                actor.name.read(box),
                names.get(actor.party_id or 0, ""),
                actor.party_id,
                actor.track,
                actor.level,
                actor.influence,
                actor.access,
                actor.decision_maker,
                details.get("gender", ""),
                details.get("region", ""),
                details.get("notes", ""),
            )
        )
    return out


def ties(initiative: Initiative) -> list[graph.Edge]:
    rows = ActorTie.objects.filter(initiative=initiative).order_by("id")
    return [graph.Edge(t.source_id, t.target_id, t.kind) for t in rows]


def _nodes(initiative: Initiative, views: list[ActorView]) -> list[graph.Node]:
    order = list(
        Party.objects.filter(initiative=initiative)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    return [
        graph.Node(
            a.id,
            a.name,
            a.kind,
            order.index(a.party_id) if a.party_id in order else None,
            a.track,
            a.decision_maker,
        )
        for a in views
    ]


def map_svg(initiative: Initiative, box: Box | None = None) -> str:
    box = box or box_for(initiative.pk)
    views = actors(initiative, box)
    parties = Party.objects.filter(initiative=initiative).order_by("position")
    labels = {str(value): str(label) for value, label in ActorTrack.choices}
    return graph.svg(
        _nodes(initiative, views),
        ties(initiative),
        labels,
        [p.name.read(box) for p in parties],
        _("Actor map"),
    )


def export_actors(initiative: Initiative) -> str:
    rows = [
        [
            a.id,
            a.kind,
            a.name,
            a.side,
            a.track,
            a.level,
            a.influence,
            a.access,
            "yes" if a.decision_maker else "no",
            a.gender,
            a.region,
            a.notes,
        ]
        for a in actors(initiative)
    ]
    return csv_io.write_rows(csv_io.ACTOR_COLUMNS, rows)


def export_ties(initiative: Initiative) -> str:
    box = box_for(initiative.pk)
    rows = [
        [t.source_id, t.target_id, t.kind, t.note.read(box)]
        for t in ActorTie.objects.filter(initiative=initiative).order_by("id")
    ]
    return csv_io.write_rows(csv_io.TIE_COLUMNS, rows)


def latest_draw(dialogue: Dialogue) -> Draw | None:
    return Draw.objects.filter(dialogue=dialogue).order_by("-id").first()


def delegation(dialogue: Dialogue) -> list[Candidate]:
    """The delegation: the candidates of the latest draw (invited or not)."""
    draw = latest_draw(dialogue)
    if draw is None:
        return []
    found = Candidate.objects.filter(dialogue=dialogue, selected_in=draw)
    return list(found.select_related("invitation").order_by("id"))


def _category(
    candidate: Candidate, values: dict[str, str], category: str, names: dict[int, str]
) -> str:
    if category == "side":
        return names.get(candidate.party_id or 0, "")
    return str(values.get(category, ""))


def _tally(rows: list[dict[str, str]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for category in BALANCE_CATEGORIES:
        counted = Counter(row.get(category, "") for row in rows)
        out[category] = dict(sorted(counted.items()))
    return out


def in_the_room(dialogue: Dialogue, box: Box) -> list[dict[str, str]]:
    """Each present participant (not withdrawn) by side, track, gender, region and level
    as their profile holds them ("" where it holds nothing: level is recorded only for
    delegates who joined through the invitation of a draw)."""
    names = sides(dialogue.initiative_id, box)
    rows = []
    present = Participant.objects.filter(
        dialogue=dialogue, role=ParticipantRole.PARTICIPANT, withdrawn_at__isnull=True
    ).only("profile_sealed", "dialogue_id")
    for participant in present:
        profile = Profile.from_json(participant.profile.read(box))
        track = "" if profile.track is None else str(profile.track)
        rows.append(
            {
                "side": names.get(profile.party_id, ""),
                "track": track,
                "gender": profile.gender,
                "region": profile.region,
                "level": profile.level,
            }
        )
    return rows


def not_yet_joined(dialogue: Dialogue, box: Box) -> list[dict[str, str]]:
    """The latest draw's delegates who have not joined (not invited, or the invitation unused)."""
    names = sides(dialogue.initiative_id, box)
    rows = []
    for candidate in delegation(dialogue):
        invitation = candidate.invitation
        if invitation is not None and invitation.used_at is not None:
            continue
        values = {k.casefold(): v for k, v in candidate.values.read(box).items()}
        rows.append({c: _category(candidate, values, c, names) for c in BALANCE_CATEGORIES})
    return rows


def balance_counts(
    dialogue: Dialogue,
) -> tuple[int, dict[str, dict[str, int]], int, dict[str, dict[str, int]]]:
    """Who is in the room (present participants) and the drawn delegates not yet joined:
    each group's size and its counts per side, track, gender, region and level, in full:
    whatever leaves the conveners and facilitators goes through
    :func:`tracktwo.insight.delegation.balance`, which withholds small counts."""
    box = box_for(dialogue.initiative_id)
    room = in_the_room(dialogue, box)
    waiting = not_yet_joined(dialogue, box)
    return len(room), _tally(room), len(waiting), _tally(waiting)


def _present(dialogue: Dialogue, box: Box) -> dict[str, Counter[str]]:
    present: dict[str, Counter[str]] = {c: Counter() for c in BALANCE_CATEGORIES}
    for row in in_the_room(dialogue, box):
        for category in BALANCE_CATEGORIES:
            if row[category]:
                present[category][row[category].casefold()] += 1
    return present


def gaps(dialogue: Dialogue) -> list[dict[str, Any]]:
    """Who is not in the room: each side, track, level, region or gender the actor map or
    the convener's targets name that the present participants lack (or hold fewer of than
    targeted). A participant's track is one of the nine: Track 1.5 is counted as Track 1."""
    box = box_for(dialogue.initiative_id)
    present = _present(dialogue, box)
    wanted: dict[str, dict[str, int]] = {c: {} for c in BALANCE_CATEGORIES}
    for actor in actors(dialogue.initiative, box):
        for category, value in (
            ("side", actor.side),
            ("track", actor.track),
            ("level", actor.level),
            ("region", actor.region),
            ("gender", actor.gender),
        ):
            if value:
                wanted[category].setdefault(value, 1)
    plan = DelegationPlan.objects.filter(dialogue=dialogue).first()
    for category, values in ((plan.targets.read(box) or {}) if plan else {}).items():
        for value, target in values.items():
            wanted.setdefault(category, {})[value] = int(target)
    level_names = dict(Level.choices)
    out = []
    for category, values in wanted.items():
        for value, target in sorted(values.items()):
            have = present.get(category, Counter())[value.casefold()]
            if have < target:
                label = str(level_names.get(value, value)) if category == "level" else value
                out.append(
                    {"category": category, "value": label, "present": have, "target": target}
                )
    return out


def track_one_paths(dialogue: Dialogue) -> list[list[str]]:
    """For each delegate linked to the actor map, the shortest path to a Track One
    decision-maker along ties and channels, as actor names."""
    initiative = dialogue.initiative
    views = actors(initiative)
    names = {a.id: a.name for a in views}
    starts = [c.actor_id for c in delegation(dialogue) if c.actor_id]
    found = graph.paths(_nodes(initiative, views), ties(initiative), starts)
    return [[names[i] for i in path] for path in found]


def pool(dialogue: Dialogue) -> list[dict[str, Any]]:
    """The pool as the conveners see it, with the latest draw's probabilities."""
    box = box_for(dialogue.initiative_id)
    names = sides(dialogue.initiative_id, box)
    draw = latest_draw(dialogue)
    chances: dict[str, float] = {}
    if draw is not None:
        chances = dict((draw.result.read(box) or {}).get("probabilities", {}))  # type: ignore[call-overload]
    out = []
    for c in Candidate.objects.filter(dialogue=dialogue).order_by("id"):
        values = c.values.read(box)
        out.append(
            {
                "id": c.pk,
                "ref": c.ref.read(box),
                "name": c.name.read(box),
                "side": names.get(c.party_id or 0, ""),
                "values": ", ".join(f"{k}: {v}" for k, v in values.items() if k != "side"),
                "consent": c.consent,
                "hardliner": c.hardliner,
                "spoiler": c.spoiler,
                "credibility": c.credibility,
                "screening": c.screening.read(box),
                "selected": draw is not None and c.selected_in_id == draw.pk,
                "probability": chances.get(str(c.pk)),
                "invited": c.invitation_id is not None,
            }
        )
    return out
