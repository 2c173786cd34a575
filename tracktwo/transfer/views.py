"""Pages of conveners and facilitators for briefs: editor, preview, issuing, distribution.

Every page checks the object permission on each request, as the dialogue pages do:
someone who may not know the dialogue exists gets the neutral 404, someone who may
observe it but not facilitate gets 403. Liaisons' pages are in ``views_recipient.py``,
the transfer log and timeline in ``views_log.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tracktwo.accounts.auth import signed_in_required
from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.dialogues.queries import translations
from tracktwo.dialogues.views.common import (
    bad_request,
    dialogue_page,
    forbidden,
    not_found,
    show_error,
    user_of,
)
from tracktwo.initiatives.models import Membership
from tracktwo.practice.errors import DialogueError, NothingLeaves
from tracktwo.practice.formats import MemberRole
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import actions
from tracktwo.transfer.file_copy import render_file_copy
from tracktwo.transfer.forms import IssueForm, NarrativeForm, PreviewForm
from tracktwo.transfer.models import Brief, BriefState
from tracktwo.transfer.render import style_hash
from tracktwo.workers import enabled as on_workers
from tracktwo.workers.actions import request_file
from tracktwo.workers.models import JobKind


def send(rendered: actions.Rendered, *, inline: bool = False) -> HttpResponse:
    """A rendered brief as a response: HTML shown (its inline style allowed), others saved."""
    response = HttpResponse(rendered.body, content_type=rendered.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{rendered.filename}"'
    if rendered.content_type.startswith("text/html"):
        response._csp_update = {"style-src": [style_hash()]}  # type: ignore[attr-defined]
    return response


def _session(request: HttpRequest, dialogue: Dialogue) -> Any:
    raw = request.GET.get("session") or request.POST.get("session") or ""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise DialogueError("the session must be a number", field="session")
    return actions.session_of(dialogue, int(raw))


def _scope_query(session: Any) -> str:
    return f"?session={session.number}" if session is not None else ""


def _issued(dialogue: Dialogue) -> list[dict[str, Any]]:
    box = box_for(dialogue.initiative_id)
    rows = []
    for brief in (
        Brief.objects.filter(dialogue=dialogue, state=BriefState.ISSUED)
        .select_related("session")
        .order_by("-issued_at")
    ):
        frozen = brief.frozen.read(box)
        rows.append(
            {
                "id": brief.pk,
                "title": frozen.get("title", ""),
                "scope": frozen.get("scope", ""),
                "issued_at": brief.issued_at,
                "copies": brief.recipients.count(),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@dialogue_page("facilitate")
def editor(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The draft's narrative, links to preview and issue it, and the briefs issued so far."""
    user = user_of(request)
    try:
        session = _session(request, dialogue)
    except DialogueError:
        return not_found(request)
    brief = actions.draft_for(dialogue, session, user)
    form = NarrativeForm(request.POST or None, initial=actions.narrative_of(brief, dialogue))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_narrative(brief, user, **form.cleaned_data)
        except DialogueError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The draft is saved."))
            url = reverse("transfer:editor", args=[dialogue.pk]) + _scope_query(session)
            return redirect(url)
    box = box_for(dialogue.initiative_id)
    return render(
        request,
        "transfer/editor.html",
        {
            "dialogue_id": dialogue.pk,
            "initiative_id": dialogue.initiative_id,
            "dialogue_title": dialogue.title.read(box),
            "brief": brief,
            "session": session,
            "scope_query": _scope_query(session),
            "sessions": list(dialogue.sessions.order_by("number").values_list("number", flat=True)),
            "form": form,
            "preview_form": PreviewForm(languages=_offered(dialogue)),
            "issued": _issued(dialogue),
        },
    )


def _offered(dialogue: Dialogue) -> list[tuple[str, str]]:
    """The languages besides English a brief of the dialogue can be in (its statements')."""
    names = dict(settings.LANGUAGES)
    return [(c, names[c]) for c in translations.languages_of(dialogue) if c != "en"]


@require_GET
@dialogue_page("facilitate")
def preview(request: HttpRequest, dialogue: Dialogue) -> HttpResponse:
    """The draft rendered: HTML in the browser, Markdown or PDF as a download (audited);
    ``?language=``: English or a language the statements have, as when issuing. With
    workers, a PDF is prepared on one: the page of the job says when it is ready."""
    fmt = request.GET.get("format", "html")
    chosen = PreviewForm(request.GET, languages=_offered(dialogue))
    if not chosen.is_valid():
        return bad_request(request)
    try:
        session = _session(request, dialogue)
        if fmt == "pdf" and on_workers():
            job = request_file(
                JobKind.BRIEF,
                dialogue,
                user_of(request),
                session=session.number if session is not None else None,
                language=chosen.cleaned_data["language"] or None,
            )
            return redirect("workers:job", key=job.key)
        rendered = actions.render_draft(
            dialogue,
            session,
            fmt,
            user_of(request),
            audit=fmt != "html",
            language=chosen.cleaned_data["language"] or None,
        )
    except NothingLeaves as refused:
        context = {"reason": refused.message, "dialogue_id": dialogue.pk}
        return render(request, "transfer/refused.html", context, status=409)
    except DialogueError:
        return not_found(request)
    return send(rendered, inline=fmt == "html")


def _brief_for(request: HttpRequest, brief_id: int) -> Brief | HttpResponse:
    from tracktwo.dialogues.views.common import load_dialogue

    brief = Brief.objects.select_related("dialogue", "session").filter(pk=brief_id).first()
    if brief is None:
        return not_found(request)
    found = load_dialogue(request, brief.dialogue_id, "facilitate")
    if isinstance(found, HttpResponse):
        return found
    brief.dialogue = found
    return brief


def _liaisons(dialogue: Dialogue) -> list[tuple[int, str]]:
    rows = Membership.objects.filter(
        initiative_id=dialogue.initiative_id, role=MemberRole.LIAISON, user__is_active=True
    ).select_related("user")
    return sorted((m.user_id, m.user.get_username()) for m in rows)


@require_http_methods(["GET", "POST"])
@signed_in_required
def issue(request: HttpRequest, brief_id: int) -> HttpResponse:
    """Choose the recipients among the initiative's liaisons, then issue; links shown once."""
    brief = _brief_for(request, brief_id)
    if isinstance(brief, HttpResponse):
        return brief
    if not brief.is_draft:
        return redirect("transfer:brief", brief_id=brief.pk)
    liaisons = _liaisons(brief.dialogue)
    offered = _offered(brief.dialogue)
    form = IssueForm(request.POST or None, liaisons=liaisons, languages=offered)
    if request.method == "POST" and form.is_valid():
        users = {u.pk: u for u in User.objects.filter(pk__in=[pk for pk, _ in form.chosen()])}
        try:
            copies = actions.issue(
                brief,
                user_of(request),
                [(users[pk], label) for pk, label in form.chosen()],
                link_days=form.cleaned_data["link_days"],
                language=form.cleaned_data["language"] or None,
            )
        except DialogueError as error:
            show_error(form, error)
        else:
            links = [
                {
                    "name": c.recipient.user.get_username(),
                    "code": c.recipient.code,
                    "url": request.build_absolute_uri(
                        reverse("transfer:open-link", args=[c.link_token])
                    ),
                    "expires_at": c.recipient.expires_at,
                }
                for c in copies
            ]
            return render(request, "transfer/issued.html", {"brief": brief, "links": links})
    return render(
        request,
        "transfer/issue.html",
        {
            "brief": brief,
            "form": form,
            "liaisons": [(name, form[f"send_{pk}"], form[f"label_{pk}"]) for pk, name in liaisons],
            "scope_query": _scope_query(brief.session),
        },
    )


@require_GET
@signed_in_required
def brief_detail(request: HttpRequest, brief_id: int) -> HttpResponse:
    """An issued brief: its copies, who opened them, and the file copy."""
    brief = _brief_for(request, brief_id)
    if isinstance(brief, HttpResponse):
        return brief
    if brief.is_draft:
        return redirect(reverse("transfer:editor", args=[brief.dialogue_id]))
    box = box_for(brief.dialogue.initiative_id)
    frozen = brief.frozen.read(box)
    copies = [
        {
            "id": r.pk,
            "position": r.position,
            "name": r.user.get_username(),
            "label": r.label.read(box),
            "code": r.code,
            "expires_at": r.expires_at,
            "opened_at": r.opened_at,
            "revoked_at": r.revoked_at,
        }
        for r in brief.recipients.select_related("user").order_by("position")
    ]
    return render(
        request,
        "transfer/brief.html",
        {
            "brief": brief,
            "title": frozen.get("title", ""),
            "scope": frozen.get("scope", ""),
            "copies": copies,
        },
    )


@require_GET
@signed_in_required
def file_copy(request: HttpRequest, brief_id: int) -> HttpResponse:
    """The issued brief as frozen, marked as the conveners' file copy (audited). With
    workers, a PDF is prepared on one: the page of the job says when it is ready."""
    brief = _brief_for(request, brief_id)
    if isinstance(brief, HttpResponse):
        return brief
    fmt = request.GET.get("format", "html")
    try:
        if fmt == "pdf" and on_workers():
            job = request_file(
                JobKind.BRIEF_FILE_COPY, brief.dialogue, user_of(request), brief=brief.pk
            )
            return redirect("workers:job", key=job.key)
        rendered = render_file_copy(brief, fmt, user_of(request))
    except DialogueError:
        return not_found(request)
    return send(rendered, inline=fmt == "html")


@require_POST
@signed_in_required
def revoke(request: HttpRequest, brief_id: int, recipient_id: int) -> HttpResponse:
    brief = _brief_for(request, brief_id)
    if isinstance(brief, HttpResponse):
        return brief
    recipient = brief.recipients.filter(pk=recipient_id).first()
    if recipient is None:
        return not_found(request)
    try:
        actions.revoke(recipient, user_of(request))
    except DialogueError:
        return forbidden(request)
    messages.success(request, _("The copy is withdrawn: its link no longer opens."))
    return redirect("transfer:brief", brief_id=brief.pk)
