"""JSON API routes of the safety app, mounted under /api/v1."""

from ninja import Router

router = Router(tags=["safety"])
