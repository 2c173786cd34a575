"""Pages of Track One liaisons (their copies, by expiring link) and the conveners' leak tracer.

A link ``/briefs/open/<token>`` leaves the address bar at once: the token is kept in the
session (through sign-in if needed), exchanged for the copy, and the browser is sent to
``/briefs/copies/<id>/``. A liaison sees only the copies sent to them, only while their
link has not expired or been withdrawn.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tracktwo.accounts.auth import signed_in_required
from tracktwo.dialogues.views.common import forbidden, not_found, user_of
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import DialogueError, NotFound
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import actions, trace
from tracktwo.transfer.forms import TraceForm
from tracktwo.transfer.views import send
from tracktwo.workers import enabled as on_workers
from tracktwo.workers.actions import request_file
from tracktwo.workers.models import JobKind

PENDING_LINK = "tracktwo.brief_link"


@require_GET
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """Take the token out of the URL, into the session, and go on to open it."""
    request.session[PENDING_LINK] = token[:128]
    return redirect("transfer:open-pending")


@require_GET
def open_pending(request: HttpRequest) -> HttpResponse:
    """Open the link kept in the session (after signing in, if needed; audited)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("transfer:open-pending"), settings.LOGIN_URL)
    token = request.session.pop(PENDING_LINK, None)
    if not token:
        return redirect("transfer:mine")
    try:
        recipient = actions.open_link(token, user_of(request))
    except NotFound:
        return not_found(request)
    except DialogueError as error:
        return render(request, "transfer/link_refused.html", {"reason": error.message}, status=403)
    return redirect("transfer:copy", recipient_id=recipient.pk)


@require_GET
@signed_in_required
def mine(request: HttpRequest) -> HttpResponse:
    """The copies sent to the signed-in person."""
    now = timezone.now()
    rows = [
        {
            "id": r.pk,
            "brief": r.brief_id,
            "code": r.code,
            "issued_at": r.brief.issued_at,
            "expires_at": r.expires_at,
            "opened": r.opened_at is not None,
            "usable": r.opened_at is not None and r.revoked_at is None and r.expires_at > now,
            "state": (
                "withdrawn"
                if r.revoked_at
                else "expired"
                if r.expires_at <= now
                else "open"
                if r.opened_at
                else "not-opened"
            ),
        }
        for r in actions.copies_of(user_of(request))
    ]
    return render(request, "transfer/mine.html", {"copies": rows})


@require_GET
@signed_in_required
def copy(request: HttpRequest, recipient_id: int) -> HttpResponse:
    """One recipient's copy: where to read and download it, until the link expires."""
    try:
        recipient = actions.copy_for(recipient_id, user_of(request))
    except NotFound:
        return not_found(request)
    except DialogueError as error:
        return render(request, "transfer/link_refused.html", {"reason": error.message}, status=403)
    frozen = recipient.brief.frozen.read(box_for(recipient.brief.dialogue.initiative_id))
    return render(
        request,
        "transfer/copy.html",
        {
            "recipient": recipient,
            "title": frozen.get("title", ""),
            "scope": frozen.get("scope", ""),
        },
    )


@require_GET
@signed_in_required
def copy_file(request: HttpRequest, recipient_id: int, fmt: str) -> HttpResponse:
    """The recipient's marked copy: HTML to read, Markdown or PDF to save (audited). With
    workers, a PDF is prepared on one: the page of the job says when it is ready."""
    try:
        recipient = actions.copy_for(recipient_id, user_of(request))
        if fmt == "pdf" and on_workers():
            actions.require_copy(recipient, fmt, user_of(request))
            job = request_file(
                JobKind.BRIEF_MARKED_COPY,
                recipient.brief.dialogue,
                user_of(request),
                recipient=recipient.pk,
            )
            return redirect("workers:job", key=job.key)
        rendered = actions.render_copy(recipient, fmt, user_of(request))
    except NotFound:
        return not_found(request)
    except DialogueError as error:
        return render(request, "transfer/link_refused.html", {"reason": error.message}, status=403)
    return send(rendered, inline=fmt == "html")


@require_http_methods(["GET", "POST"])
@signed_in_required
def trace_page(request: HttpRequest, initiative_id: int) -> HttpResponse:
    """A convener gives a leaked file or text; the page names the copy's recipient (audited)."""
    user = user_of(request)
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if (
        initiative is None
        or not Membership.objects.filter(user=user, initiative=initiative).exists()
    ):
        return not_found(request)
    if not permissions.can_convene(user, initiative):
        return forbidden(request)
    form = TraceForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None and upload.size > trace.MAX_TRACE_BYTES:
            form.add_error("file", "The file is larger than 20 MB.")
        else:
            data = upload.read() if upload is not None else form.cleaned_data["text"].encode()
            found = trace.trace(data, user)
            copy = found.recipient
            if copy is not None and copy.brief.dialogue.initiative_id != initiative.pk:
                copy = None
            result = {
                "evidence": found.evidence,
                "conflicting": found.conflicting,
                "copy": None
                if copy is None
                else {
                    "brief": copy.brief_id,
                    "position": copy.position,
                    "code": copy.code,
                    "name": copy.user.get_username(),
                    "label": copy.label.read(box_for(initiative.pk)),
                    "opened_at": copy.opened_at,
                },
            }
    return render(
        request,
        "transfer/trace.html",
        {"form": form, "result": result, "initiative_id": initiative.pk},
    )
