"""JSON API routes of the accounts app, mounted under /api/v1."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from tracktwo.accounts.auth import API_AUTH, caller

router = Router(tags=["accounts"])


class MeOut(Schema):
    kind: str
    username: str | None = None
    participant: str | None = None


@router.get("/me", auth=API_AUTH, response=MeOut, exclude_none=True)
def me(request: HttpRequest) -> MeOut:
    """Who the token or session belongs to: an account's name, or a participant's public id."""
    who = caller(request)
    if who.kind == "participant":
        public_id = getattr(who.participant, "public_id", None)
        return MeOut(kind="participant", participant=None if public_id is None else str(public_id))
    assert who.user is not None
    return MeOut(kind="user", username=who.user.get_username())
