"""JSON API routes of the dialogues app, mounted under /api/v1."""

from ninja import Router

router = Router(tags=["dialogues"])
