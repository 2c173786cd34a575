"""API routes for invitations: make one, list the open ones, revoke one nobody has used.

Added to the dialogues API by :mod:`tracktwo.dialogues.api`.
Facilitators only; a token is shown once, when the invitation is made, and never again.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from tracktwo.accounts.auth import API_AUTH
from tracktwo.dialogues import actions
from tracktwo.dialogues.api import schemas as s
from tracktwo.dialogues.api.common import ERRORS, _member
from tracktwo.dialogues.queries import invitations as outstanding
from tracktwo.initiatives.models import Party
from tracktwo.practice.errors import InvalidInput

router = Router(tags=["dialogues"])


@router.post(
    "/dialogues/{id}/invitations", auth=API_AUTH, response={201: s.InvitationOut, **ERRORS}
)
def invite(request: HttpRequest, id: s.PathId, body: s.InvitationIn) -> Status[dict[str, Any]]:
    """A single-use invitation for one party and track; the raw token is shown once."""
    dialogue, user = _member(request, id, "facilitate")
    if not Party.objects.filter(pk=body.party, initiative_id=dialogue.initiative_id).exists():
        raise InvalidInput(_("not a party of this dialogue's initiative"), field="party")
    invitation, token = actions.create_invitation(
        dialogue,
        party=body.party,
        by=user,
        track=body.track,
        role=body.role,
        official=body.official,
        expires_in=timedelta(hours=body.expires_in_hours),
    )
    return Status(
        201,
        {
            "id": invitation.pk,
            "token": token,
            "url": f"/join/{token}",
            "expires_at": invitation.expires_at,
        },
    )


@router.get(
    "/dialogues/{id}/invitations", auth=API_AUTH, response={200: s.InvitationsOut, **ERRORS}
)
def open_invitations(request: HttpRequest, id: s.PathId) -> dict[str, Any]:
    """The invitations that still admit someone, soonest to expire first, and how many
    were used, expired or revoked (facilitators)."""
    dialogue, _user = _member(request, id, "facilitate")
    counts = outstanding.invitation_counts(dialogue)
    return {
        "open": [
            {
                "id": i.id,
                "party": {"id": i.party_id, "name": i.party},
                "track": i.track,
                "role": i.role,
                "official": i.official,
                "created_at": i.created_at,
                "expires_at": i.expires_at,
            }
            for i in outstanding.open_invitations(dialogue)
        ],
        "counts": {
            "open": counts.open,
            "used": counts.used,
            "expired": counts.expired,
            "revoked": counts.revoked,
        },
    }


@router.delete("/dialogues/{id}/invitations/{iid}", auth=API_AUTH, response={204: None, **ERRORS})
def revoke_invitation(request: HttpRequest, id: s.PathId, iid: s.PathId) -> Status[None]:
    """Revoke an invitation nobody has used: 204; 409 if it was used or already revoked
    (facilitators; audited)."""
    dialogue, user = _member(request, id, "facilitate")
    actions.revoke_invitation(dialogue, iid, user)
    return Status(204, None)
