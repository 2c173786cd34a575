"""JSON API routes of the transfer app, mounted under /api/v1."""

from ninja import Router

router = Router(tags=["transfer"])
