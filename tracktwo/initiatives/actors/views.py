"""Pages of the actor map and of a dialogue's delegation, for the initiative's conveners.

``/initiatives/<id>/actors``: the map (an SVG drawn on the server) and its table; actors
and ties added one by one or imported from CSV; ``/initiatives/<id>/actors.csv`` exports
them (``?what=ties`` for the ties). ``/dialogues/<id>/delegation``: the pool (imported
from CSV, with consent and screening), the quotas and targets, the draw with its seed and
each candidate's probability, the balance, who is not in the room, paths to Track One, and
the invitations made in one step. Everything here names people: conveners only (anyone
else in the initiative gets 403, anyone outside it 404). Changes go through
:mod:`tracktwo.initiatives.actors.actions`.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from tracktwo.accounts.auth import signed_in_required
from tracktwo.dialogues.models import Dialogue
from tracktwo.dialogues.views.common import forbidden, load_dialogue, user_of
from tracktwo.initiatives import permissions
from tracktwo.initiatives.actors import actions, drawing, editing, queries
from tracktwo.initiatives.actors.forms import ActorForm, TieForm
from tracktwo.initiatives.actors.models import ActorTie, TieKind
from tracktwo.initiatives.models import Initiative
from tracktwo.initiatives.views.members import convened
from tracktwo.insight.delegation import balance, category_names
from tracktwo.practice.errors import DialogueError
from tracktwo.safety.datakeys import box_for

MAX_UPLOAD = 5 * 1024 * 1024


class DrawForm(forms.Form):
    panel_size = forms.IntegerField(
        label=gettext_lazy("Delegation size"), min_value=1, max_value=1000
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Seed (empty: drawn at random and recorded)"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
    )
    algorithm = forms.ChoiceField(
        label=gettext_lazy("Algorithm"),
        choices=[
            ("maximin", gettext_lazy("maximin (default)")),
            ("nash", gettext_lazy("nash")),
            ("leximin", gettext_lazy("leximin (needs the Gurobi solver)")),
        ],
    )
    households = forms.BooleanField(
        label=gettext_lazy("At most one per household or organisation"),
        required=False,
        initial=True,
    )


class ScreenForm(forms.Form):
    candidate = forms.IntegerField(min_value=1)
    consent = forms.BooleanField(label=gettext_lazy("Consents to be considered"), required=False)
    hardliner = forms.BooleanField(
        label=gettext_lazy("Hardliner (included on purpose)"), required=False
    )
    spoiler = forms.BooleanField(label=gettext_lazy("Possible spoiler"), required=False)
    credibility = forms.IntegerField(
        label=gettext_lazy("Credibility (0-3)"), min_value=0, max_value=3, initial=0
    )
    screening = forms.CharField(
        label=gettext_lazy("Screening notes (willingness, capacity to listen)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


def _upload(request: HttpRequest, field: str) -> str:
    upload = request.FILES.get(field)
    if upload is None:
        return str(request.POST.get(field + "_text", ""))
    if upload.size is not None and upload.size > MAX_UPLOAD:
        raise DialogueError(_("the file is larger than 5 MB"), field=upload.name)
    try:
        return str(upload.read().decode("utf-8"))
    except UnicodeDecodeError:
        raise DialogueError(_("the file is not UTF-8 text"), field=upload.name) from None


def _actor_post(request: HttpRequest, initiative: Initiative) -> None:
    action = request.POST.get("action", "")
    by = user_of(request)
    if action == "import":
        counts = actions.import_actors(
            initiative, by, _upload(request, "actors"), _upload(request, "ties")
        )
        messages.success(
            request,
            _("Imported %(a)d actors and %(t)d ties.")
            % {"a": counts["actors"], "t": counts["ties"]},
        )
    elif action == "add":
        form = ActorForm(request.POST)
        if not form.is_valid():
            raise DialogueError(_("check the actor's fields"), field=", ".join(form.errors))
        data = {k: str(v) for k, v in form.cleaned_data.items()}
        data["decision_maker"] = "yes" if form.cleaned_data["decision_maker"] else "no"
        actions.add_actor(initiative, by, data)
        messages.success(request, _("The actor is added."))
    elif action == "tie":
        ids = [(a.id, a.name) for a in queries.actors(initiative)]
        tie = TieForm(request.POST, actors=ids, prefix="tie")
        if not tie.is_valid():
            raise DialogueError(_("choose two actors"), field="tie")
        got = tie.cleaned_data
        actions.add_tie(
            initiative, by, int(got["source"]), int(got["target"]), got["kind"], got["note"]
        )
        messages.success(request, _("The relationship is added."))
    elif not _edit_post(request, initiative, action):
        raise DialogueError(_("unknown action"), field="action")


def _posted_id(request: HttpRequest, field: str) -> int:
    value = str(request.POST.get(field, ""))
    if not value.isdigit():
        raise DialogueError(_("choose one on this map"), field=field)
    return int(value)


def _edit_post(request: HttpRequest, initiative: Initiative, action: str) -> bool:
    """Edit or delete an actor or a relationship; False for another action."""
    by = user_of(request)
    if action == "edit":
        form = ActorForm(request.POST)
        if not form.is_valid():
            raise DialogueError(_("check the actor's fields"), field=", ".join(form.errors))
        data = {k: str(v) for k, v in form.cleaned_data.items()}
        data["decision_maker"] = "yes" if form.cleaned_data["decision_maker"] else "no"
        editing.edit_actor(initiative, by, _posted_id(request, "actor"), data)
        messages.success(request, _("The actor is changed."))
    elif action == "delete":
        editing.delete_actor(initiative, by, _posted_id(request, "actor"))
        messages.success(request, _("The actor and their relationships are deleted."))
    elif action == "edit_tie":
        kind = str(request.POST.get("kind", ""))
        note = str(request.POST.get("note", ""))
        editing.edit_tie(initiative, by, _posted_id(request, "tie"), kind, note)
        messages.success(request, _("The relationship is changed."))
    elif action == "delete_tie":
        editing.delete_tie(initiative, by, _posted_id(request, "tie"))
        messages.success(request, _("The relationship is deleted."))
    else:
        return False
    return True


def _edit_form(actor: queries.ActorView) -> ActorForm:
    initial = {k: getattr(actor, k) for k in ActorForm.base_fields if k != "side"}
    initial["side"] = actor.side
    return ActorForm(initial=initial, auto_id=f"id_actor{actor.id}_%s")


@require_http_methods(["GET", "POST"])
@signed_in_required
def actor_map(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """The actor map and table; conveners add, import, edit and delete actors and ties here."""
    found = convened(request, initiative_id)
    if isinstance(found, HttpResponse):
        return found
    initiative = found
    if request.method == "POST":
        try:
            _actor_post(request, initiative)
        except DialogueError as error:
            messages.error(request, str(error))
        return redirect("initiatives:actors", initiative_id=initiative.pk)
    box = box_for(initiative.pk)
    views = queries.actors(initiative, box)
    names = {a.id: a.name for a in views}
    kinds = {str(k): str(label) for k, label in TieKind.choices}
    dialogues = [
        (d.pk, d.title.read(box))
        for d in Dialogue.objects.filter(initiative=initiative, purged_at__isnull=True).order_by(
            "id"
        )
    ]
    context = {
        "initiative": {"id": initiative.pk, "title": initiative.title.read(box)},
        "actors": [(a, _edit_form(a)) for a in views],
        "tie_kinds": TieKind.choices,
        "map_svg": queries.map_svg(initiative, box),
        "actor_form": ActorForm(),
        "tie_form": TieForm(actors=[(a.id, a.name) for a in views], prefix="tie")
        if len(views) > 1
        else None,
        "dialogues": dialogues,
        "ties": [
            {
                "id": t.pk,
                "source": names.get(t.source_id, ""),
                "target": names.get(t.target_id, ""),
                "kind": kinds.get(t.kind, t.kind),
                "kind_code": t.kind,
                "note": t.note.read(box),
            }
            for t in ActorTie.objects.filter(initiative=initiative).order_by("id")
        ],
    }
    return render(request, "initiatives/actors.html", context)


@require_GET
@signed_in_required
def actor_csv(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """The actors (or, with ``?what=ties``, their ties) as CSV."""
    found = convened(request, initiative_id)
    if isinstance(found, HttpResponse):
        return found
    ties = request.GET.get("what") == "ties"
    text = queries.export_ties(found) if ties else queries.export_actors(found)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{"ties" if ties else "actors"}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _delegation_post(request: HttpRequest, dialogue: Dialogue) -> list[dict[str, str]]:
    action = request.POST.get("action", "")
    by = user_of(request)
    if action == "pool":
        n = actions.import_pool(dialogue, by, _upload(request, "pool"))
        messages.success(request, _("%(n)d candidates added to the pool.") % {"n": n})
    elif action == "from_map":
        n = actions.add_actors_to_pool(dialogue, by)
        messages.success(
            request, _("%(n)d people from the actor map added to the pool.") % {"n": n}
        )
    elif action == "screen":
        form = ScreenForm(request.POST)
        if not form.is_valid():
            raise DialogueError(_("check the screening's fields"), field=", ".join(form.errors))
        actions.screen(dialogue, by, form.cleaned_data["candidate"], form.cleaned_data)
        messages.success(request, _("The screening is saved."))
    elif action == "plan":
        actions.set_plan(
            dialogue, by, str(request.POST.get("quotas", "")), str(request.POST.get("targets", ""))
        )
        messages.success(request, _("The quotas and targets are saved."))
    elif action == "draw":
        drawn = DrawForm(request.POST)
        if not drawn.is_valid():
            raise DialogueError(_("check the draw's fields"), field=", ".join(drawn.errors))
        data = drawn.cleaned_data
        made = drawing.draw(
            dialogue,
            by,
            data["panel_size"],
            seed=data["seed"],
            algorithm=data["algorithm"],
            households=data["households"],
        )
        messages.success(request, _("Delegation drawn with seed %(seed)d.") % {"seed": made.seed})
    elif action == "invite":
        draw = queries.latest_draw(dialogue)
        if draw is None:
            raise DialogueError(_("draw a delegation first"), field="draw")
        sent = drawing.invite_drawn(dialogue, by, draw.pk)
        box = box_for(dialogue.initiative_id)
        return [
            {
                "ref": c.ref.read(box),
                "name": c.name.read(box),
                "url": request.build_absolute_uri(
                    reverse("dialogues:join-link", kwargs={"token": t})
                ),
            }
            for c, t in sent
        ]
    else:
        raise DialogueError(_("unknown action"), field="action")
    return []


def _plan_text(dialogue: Dialogue) -> tuple[str, str]:
    from tracktwo.initiatives.actors.models import DelegationPlan

    plan = DelegationPlan.objects.filter(dialogue=dialogue).first()
    if plan is None:
        return "category,value,min,max\n", "category,value,target\n"
    box = box_for(dialogue.initiative_id)
    quotas = "".join(
        f"{q['category']},{q['value']},{q['min']},{q['max']}\n" for q in plan.quotas.read(box)
    )
    targets = "".join(
        f"{c},{v},{n}\n" for c, values in plan.targets.read(box).items() for v, n in values.items()
    )
    return "category,value,min,max\n" + quotas, "category,value,target\n" + targets


@require_http_methods(["GET", "POST"])
@signed_in_required
def delegation(request: HttpRequest, dialogue_id: int) -> HttpResponse:
    """A dialogue's pool, quotas, draw, balance, gaps and invitations (conveners only)."""
    found = load_dialogue(request, dialogue_id, "observe")
    if isinstance(found, HttpResponse):
        return found
    dialogue = found
    if not permissions.can_convene(request.user, dialogue.initiative):
        return forbidden(request)
    invited: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            invited = _delegation_post(request, dialogue)
        except DialogueError as error:
            messages.error(request, str(error))
        if not invited:  # the links of new invitations are shown once, on this answer
            return redirect("initiatives:delegation", dialogue_id=dialogue.pk)
    box = box_for(dialogue.initiative_id)
    draw = queries.latest_draw(dialogue)
    quotas, targets = _plan_text(dialogue)
    names = category_names()
    context = {
        "dialogue": {
            "id": dialogue.pk,
            "title": dialogue.title.read(box),
            "initiative_id": dialogue.initiative_id,
        },
        "pool": queries.pool(dialogue),
        "quotas": quotas,
        "targets": targets,
        "screen_form": ScreenForm(auto_id="screen-%s"),
        "draw_form": DrawForm(
            initial={"panel_size": 12, "algorithm": "maximin", "households": True}
        ),
        "draw": draw,
        "draw_result": draw.result.read(box) if draw else None,
        "balance": balance(dialogue, None),
        "gaps": [
            {**g, "category": names.get(g["category"], g["category"])}
            for g in queries.gaps(dialogue)
        ],
        "paths": queries.track_one_paths(dialogue),
        "invited": invited,
    }
    return render(request, "initiatives/delegation.html", context)
