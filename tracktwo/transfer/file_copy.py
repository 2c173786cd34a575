"""The conveners' file copy of an issued brief: the frozen brief, marked "not for
distribution", for their own records (docs/briefs.md). Audited as an export.

:func:`require_file_copy` is every check before it is rendered; the request path
(:func:`render_file_copy`) and a worker preparing it (:mod:`tracktwo.workers.actions`, when
``REDIS_URL`` is set and a PDF is asked for) both run it, the worker again just before it
renders, for the same user.
"""

from __future__ import annotations

from django.db import transaction

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, NotFound
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer import marking, render
from tracktwo.transfer.actions import FORMATS, Rendered, clean_format
from tracktwo.transfer.models import Brief


def brief_of(dialogue: Dialogue, brief_id: object) -> Brief:
    """The dialogue's brief ``brief_id`` (NotFound when it has none such, or it was purged)."""
    found = None
    if isinstance(brief_id, int):
        found = Brief.objects.select_related("dialogue").filter(pk=brief_id, dialogue=dialogue)
    brief = found.first() if found is not None else None
    if brief is None:
        raise NotFound("no such brief")
    return brief


def require_file_copy(brief: Brief, fmt: str, by: User) -> str:
    """What the file copy checks before it renders: the format (returned), that ``by``
    facilitates the dialogue, and that the brief was issued (a draft has no file copy)."""
    fmt = clean_format(fmt)
    permissions.require(permissions.can_facilitate(by, brief.dialogue), "read this brief")
    if brief.is_draft:
        raise Conflict("this brief is still a draft")
    return fmt


def record_file_copy(brief: Brief, fmt: str, by: User) -> None:
    """The file copy's audit row (inside the caller's transaction)."""
    record(
        "brief.exported",
        actor=Actor.user(by),
        initiative_id=brief.dialogue.initiative_id,
        target_type="brief",
        target_id=brief.pk,
        details={"format": fmt, "file_copy": True},
    )


def render_file_copy(brief: Brief, fmt: str, by: User, *, audit: bool = True) -> Rendered:
    """The issued brief as frozen, marked as the conveners' file copy (audited as an export;
    ``audit`` False: the caller records it, as a worker does with the stored file)."""
    fmt = require_file_copy(brief, fmt, by)
    frozen = brief.frozen.read(box_for(brief.dialogue.initiative_id))
    if fmt == "md":
        body = marking.apply(frozen["markdown"], None, line=marking.FILE_COPY_LINE).encode()
    else:
        filled = marking.apply(frozen["html"], None, line=marking.FILE_COPY_LINE)
        body = filled.encode() if fmt == "html" else render.pdf(filled, line=marking.FILE_COPY_LINE)
    if audit:
        with transaction.atomic():
            record_file_copy(brief, fmt, by)
    return Rendered(body, FORMATS[fmt][0], f"brief-{brief.pk}-file-copy.{FORMATS[fmt][1]}")
