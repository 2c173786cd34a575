"""A template context processor: on any page of a dialogue at high risk or above
(participants' and facilitators' alike), the quick exit and the decoy title are on."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tracktwo.consent.gates import effective_protections


def protections(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    dialogue_id = match.kwargs.get("dialogue_id") if match is not None else None
    if not isinstance(dialogue_id, int):
        return {}
    rules = effective_protections(dialogue_id)
    if not rules.quick_exit:
        return {}
    return {"quick_exit": True, "decoy_title": rules.decoy_title}
