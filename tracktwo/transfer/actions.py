"""Every state change of briefs and their distribution; the transfer log is in ``log.py``.

- A **draft** brief (one per dialogue, and one per session) holds the facilitator's
  narrative; its findings are computed afresh whenever it is rendered.
- **Issuing** freezes the rendering (sealed) and makes one copy per recipient: a Track
  One liaison of the initiative, a recipient code (:mod:`tracktwo.transfer.marking`) and
  a link token that expires (14 days by default). The raw tokens are returned once.
- A liaison **opens** their link signed in, then reads their copy until expiry or revocation.

The dialogue's conveners and facilitators write and issue briefs; every act is audited by ids.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tracktwo.accounts.models import User
from tracktwo.consent.gates import require_assessment
from tracktwo.dialogues.models import Dialogue, Session
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed, NotFound
from tracktwo.practice.validation import MAX_LONG_TEXT_CHARS, MAX_TITLE_CHARS, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.crypto import token_digest
from tracktwo.safety.datakeys import box_for, box_for_sealing
from tracktwo.transfer import marking, render
from tracktwo.transfer.content import NARRATIVE_FIELDS, default_narrative
from tracktwo.transfer.languages import render_in
from tracktwo.transfer.models import Brief, BriefRecipient, BriefState
from tracktwo.transfer.scope import session_of as session_of  # the pages' and API's entry

FORMATS = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
}
DEFAULT_LINK_DAYS = 14
MAX_LINK_DAYS = 90
LINK_PREFIX = "t2b_"
MAX_LABEL_CHARS = 200


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class IssuedCopy:
    recipient: BriefRecipient
    link_token: str  # shown once


link_digest = token_digest  # link tokens are stored as digests, like every other token


def clean_format(value: str) -> str:
    if value not in FORMATS:
        raise InvalidInput(f"{value!r} is not one of: md, html, pdf", field="format")
    return value


def _scope_draft(dialogue: Dialogue, session: Session | None) -> Brief | None:
    return Brief.objects.filter(dialogue=dialogue, session=session, state=BriefState.DRAFT).first()


def narrative_of(brief: Brief | None, dialogue: Dialogue) -> dict[str, str]:
    """A brief's narrative, or the defaults for a dialogue without a draft."""
    box = box_for(dialogue.initiative_id)
    if brief is None or not brief.narrative.is_set:
        return default_narrative(dialogue, box)
    return {**default_narrative(dialogue, box), **brief.narrative.read(box)}


@transaction.atomic
def draft_for(dialogue: Dialogue, session: Session | None, by: User) -> Brief:
    """The draft brief of the dialogue (or session), created with default narrative if none."""
    permissions.require(permissions.can_facilitate(by, dialogue), "write briefs")
    if session is not None and session.dialogue_id != dialogue.pk:
        raise InvalidInput("the session belongs to another dialogue", field="session")
    brief = _scope_draft(dialogue, session)
    if brief is not None:
        return brief
    box = box_for_sealing(dialogue.initiative_id)
    last = (
        Brief.objects.filter(dialogue=dialogue, session=session, state=BriefState.ISSUED)
        .order_by("-issued_at")
        .first()
    )
    brief = Brief(dialogue=dialogue, session=session, created_by=by)
    brief.narrative.write(box, narrative_of(last, dialogue))
    brief.save()
    return brief


def _clean_narrative(values: dict[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, value in values.items():
        if key not in NARRATIVE_FIELDS:
            raise InvalidInput("is not a narrative field of a brief", field=key)
        if key == "title":
            clean[key] = clean_text(value, key, max_chars=MAX_TITLE_CHARS)
        else:
            clean[key] = clean_text(
                value, key, max_chars=MAX_LONG_TEXT_CHARS, required=False, multiline=True
            )
    return clean


@transaction.atomic
def update_narrative(brief: Brief, by: User, **values: str) -> Brief:
    """Change a draft's title, context, proposals, next steps or method note."""
    brief = Brief.objects.select_for_update().select_related("dialogue").get(pk=brief.pk)
    permissions.require(permissions.can_facilitate(by, brief.dialogue), "edit this brief")
    if not brief.is_draft:
        raise Conflict("this brief was issued: its content is frozen")
    box = box_for_sealing(brief.dialogue.initiative_id)
    narrative = {**narrative_of(brief, brief.dialogue), **_clean_narrative(values)}
    brief.narrative.write(box, narrative)
    brief.save(update_fields=["narrative_sealed", "updated_at"])
    return brief


def _render(
    document_md: str, document_html: str, fmt: str, code: str | None, position: int | None
) -> bytes:
    if fmt == "md":
        return marking.apply(document_md, code).encode("utf-8")
    filled = marking.apply(document_html, code)
    if fmt == "html":
        return filled.encode("utf-8")
    return render.pdf(filled, code=code, position=position)


def _filename(dialogue: Dialogue, session: Session | None, fmt: str, suffix: str) -> str:
    scope = f"dialogue-{dialogue.pk}" + (f"-session-{session.number}" if session else "")
    return f"brief-{scope}-{suffix}.{FORMATS[fmt][1]}"


def render_draft(
    dialogue: Dialogue,
    session: Session | None,
    fmt: str,
    by: User | None,
    *,
    audit: bool = True,
    language: str | None = None,
) -> Rendered:
    """The current draft of the dialogue's (or session's) brief, rendered in ``fmt``.

    ``by`` None is the operator on the command line (no permission check: they hold the
    keys). ``audit`` records the export (the API and the command line); the editor's
    preview is not an export. ``language``: as for :func:`issue` (None: English).
    """
    fmt = clean_format(fmt)
    if by is not None:
        permissions.require(permissions.can_facilitate(by, dialogue), "read this brief")
    box = box_for(dialogue.initiative_id)
    narrative = narrative_of(_scope_draft(dialogue, session), dialogue)
    made = render_in(language, dialogue, session, narrative, box)
    body = _render(made.markdown, made.html, fmt, None, None)
    if audit:
        with transaction.atomic():
            record(
                "brief.exported",
                actor=Actor.operator() if by is None else Actor.user(by),
                initiative_id=dialogue.initiative_id,
                target_type="dialogue",
                target_id=dialogue.pk,
                details={"session": session.number if session else None, "format": fmt},
            )
    return Rendered(body, FORMATS[fmt][0], _filename(dialogue, session, fmt, "draft"))


def _clean_recipients(brief: Brief, recipients: list[tuple[User, str]]) -> list[tuple[User, str]]:
    if not recipients:
        raise InvalidInput("choose at least one recipient", field="recipients")
    if len(recipients) > marking.MAX_COPIES:
        raise InvalidInput(f"at most {marking.MAX_COPIES} recipients", field="recipients")
    seen: set[int] = set()
    clean: list[tuple[User, str]] = []
    for i, (user, label) in enumerate(recipients):
        if user.pk in seen:
            raise InvalidInput("appears twice", field=f"recipients[{i}]")
        seen.add(user.pk)
        if not user.is_active or not permissions.is_liaison(user, brief.dialogue.initiative):
            raise InvalidInput(
                "is not a Track One liaison of this initiative", field=f"recipients[{i}]"
            )
        text = clean_text(label or "", f"labels[{i}]", max_chars=MAX_LABEL_CHARS, required=False)
        clean.append((user, text or user.get_username()))
    return clean


@transaction.atomic
def issue(
    brief: Brief,
    by: User,
    recipients: list[tuple[User, str]],
    *,
    link_days: int = DEFAULT_LINK_DAYS,
    language: str | None = None,
) -> list[IssuedCopy]:
    """Freeze the draft in ``language`` (None: English) and make one marked copy per recipient.
    Kept in one piece: the draft is locked, checked, frozen and copied in one transaction.
    """
    locked = Brief.objects.select_for_update(of=("self",)).select_related("dialogue", "session")
    brief = locked.get(pk=brief.pk)
    dialogue = brief.dialogue
    permissions.require(permissions.can_facilitate(by, dialogue), "issue this brief")
    require_assessment(dialogue, "briefs")  # the do-no-harm check (consent app)
    if not brief.is_draft:
        raise Conflict("this brief was already issued")
    if isinstance(link_days, bool) or not isinstance(link_days, int):
        raise InvalidInput("must be a whole number of days", field="link_days")
    if not 1 <= link_days <= MAX_LINK_DAYS:
        raise InvalidInput(f"must be between 1 and {MAX_LINK_DAYS} days", field="link_days")
    recipients = _clean_recipients(brief, recipients)
    box = box_for_sealing(dialogue.initiative_id)
    made = render_in(language, dialogue, brief.session, narrative_of(brief, dialogue), box)
    brief.frozen.write(
        box,
        {
            "markdown": made.markdown,
            "html": made.html,
            "headings": list(made.headings),
            "title": made.content.title,
            "scope": made.content.scope,
            "language": made.language,
        },
    )
    now = timezone.now()
    brief.state = BriefState.ISSUED
    brief.issued_by = by
    brief.issued_at = now
    brief.save(update_fields=["frozen_sealed", "state", "issued_by", "issued_at", "updated_at"])
    copies: list[IssuedCopy] = []
    for position, (user, label) in enumerate(recipients, start=1):
        raw = LINK_PREFIX + secrets.token_urlsafe(32)
        code = marking.new_code()
        while BriefRecipient.objects.filter(code=code).exists():
            code = marking.new_code()
        recipient = BriefRecipient(
            brief=brief,
            user=user,
            position=position,
            code=code,
            link_digest=link_digest(raw),
            expires_at=now + timedelta(days=link_days),
        )
        recipient.label.write(box, label)
        recipient.save()
        copies.append(IssuedCopy(recipient, raw))
    record(
        "brief.issued",
        actor=Actor.user(by),
        initiative_id=dialogue.initiative_id,
        target_type="brief",
        target_id=brief.pk,
        details={
            "dialogue": dialogue.pk,
            "session": brief.session.number if brief.session else None,
            "recipients": [user.pk for user, _ in recipients],
            "link_days": link_days,
        },
    )
    return copies


def _usable(recipient: BriefRecipient) -> None:
    if recipient.revoked_at is not None:
        raise NotAllowed("this copy was withdrawn by the conveners")
    if recipient.expires_at <= timezone.now():
        raise NotAllowed("this link has expired: ask the conveners for a new copy")


@transaction.atomic
def open_link(raw: str, by: User) -> BriefRecipient:
    """A liaison opens the link sent to them (signed in as the recipient; audited)."""
    if not isinstance(raw, str) or not raw.startswith(LINK_PREFIX) or len(raw) > 128:
        raise NotFound("no such brief link")
    recipient = (
        BriefRecipient.objects.select_for_update()
        .select_related("brief__dialogue")
        .filter(link_digest=link_digest(raw))
        .first()
    )
    if recipient is None or recipient.user_id != by.pk:
        raise NotFound("no such brief link")
    _usable(recipient)
    now = timezone.now()
    first = recipient.opened_at is None
    recipient.opened_at = recipient.opened_at or now
    recipient.last_viewed_at = now
    recipient.save(update_fields=["opened_at", "last_viewed_at"])
    record(
        "brief.opened",
        actor=Actor.user(by),
        initiative_id=recipient.brief.dialogue.initiative_id,
        target_type="brief",
        target_id=recipient.brief_id,
        details={"copy": recipient.position, "first": first},
    )
    return recipient


def copy_for(recipient_id: int, by: User) -> BriefRecipient:
    """A recipient's own copy, once they opened their link and until it expires."""
    recipient = (
        BriefRecipient.objects.select_related("brief__dialogue", "brief__session")
        .filter(pk=recipient_id, user_id=by.pk)
        .first()
    )
    if recipient is None or recipient.opened_at is None:
        raise NotFound("no such brief")
    _usable(recipient)
    return recipient


def copies_of(by: User) -> list[BriefRecipient]:
    """The copies sent to this person (a liaison sees these and nothing else)."""
    return list(
        BriefRecipient.objects.select_related("brief__dialogue")
        .filter(user_id=by.pk, brief__state=BriefState.ISSUED)
        .order_by("-brief__issued_at", "pk")
    )


def require_copy(recipient: BriefRecipient, fmt: str, by: User) -> str:
    """What the marked copy checks before it renders: the format (returned), that it is
    ``by``'s own copy, not withdrawn nor expired. The request path and a worker preparing
    its PDF (:mod:`tracktwo.workers.actions`, with ``REDIS_URL``) both run it."""
    fmt = clean_format(fmt)
    if recipient.user_id != by.pk:
        raise NotFound("no such brief")
    _usable(recipient)
    return fmt


def record_copy_download(recipient: BriefRecipient, fmt: str, by: User) -> None:
    """The marked copy's audit row (inside the caller's transaction)."""
    record(
        "brief.downloaded",
        actor=Actor.user(by),
        initiative_id=recipient.brief.dialogue.initiative_id,
        target_type="brief",
        target_id=recipient.brief_id,
        details={"copy": recipient.position, "format": fmt},
    )


def render_copy(recipient: BriefRecipient, fmt: str, by: User, *, audit: bool = True) -> Rendered:
    """The recipient's marked copy in ``fmt`` (audited as a download; ``audit`` False: the
    caller records it, as a worker does with the stored file)."""
    fmt = require_copy(recipient, fmt, by)
    brief = recipient.brief
    frozen = brief.frozen.read(box_for(brief.dialogue.initiative_id))
    body = _render(frozen["markdown"], frozen["html"], fmt, recipient.code, recipient.position)
    if audit:
        with transaction.atomic():
            record_copy_download(recipient, fmt, by)
    filename = f"brief-{brief.pk}-{recipient.code.lower()}.{FORMATS[fmt][1]}"
    return Rendered(body, FORMATS[fmt][0], filename)


@transaction.atomic
def revoke(recipient: BriefRecipient, by: User) -> None:
    """Withdraw one copy: its link and page stop working (conveners and facilitators)."""
    permissions.require(permissions.can_facilitate(by, recipient.brief.dialogue), "withdraw copies")
    if recipient.revoked_at is None:
        recipient.revoked_at = timezone.now()
        recipient.save(update_fields=["revoked_at"])
        record(
            "brief.revoked",
            actor=Actor.user(by),
            initiative_id=recipient.brief.dialogue.initiative_id,
            target_type="brief",
            target_id=recipient.brief_id,
            details={"copy": recipient.position, "recipient": recipient.user_id},
        )
