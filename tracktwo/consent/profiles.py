"""What a risk profile may say: the choices, and cleaning what a participant typed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from tracktwo.consent.levels import Level
from tracktwo.practice.errors import InvalidInput
from tracktwo.practice.validation import clean_choice, clean_text

ADVERSARIES = {
    "own_government": _("my own government"),
    "armed_groups": _("armed groups"),
    "community": _("my community"),
    "other_side": _("the other side"),
    "other": _("someone else"),
}
CHANNELS = {
    "device_seizure": _("my device being seized or inspected"),
    "surveillance": _("surveillance of my communications"),
    "social_media": _("social media"),
    "leaked_brief": _("a leaked brief or document"),
    "other": _("another way"),
}
DEVICES = {
    "personal": _("personal, only I use it"),
    "shared": _("shared with others"),
    "inspected": _("may be inspected (at a checkpoint, by an employer, by family)"),
}
KNOWN_AT_HOME = {
    "yes": _("yes"),
    "some": _("only some people know"),
    "no": _("no"),
}
MAX_NOTE_CHARS = 500


def _choices(value: Any, field: str, allowed: dict[str, Any]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput(str(_("must be a list")), field=field)
    return sorted({clean_choice(item, field, allowed) for item in value})


def clean_profile(data: dict[str, Any], conveners: set[int]) -> dict[str, Any]:
    """The profile as it is sealed; raises InvalidInput naming the field that is wrong.

    ``conveners`` are the ids of the initiative's conveners, the only people the
    participant may let see the profile (``share_with``).
    """
    shared = data.get("share_with") or []
    if not isinstance(shared, list | tuple) or any(
        isinstance(pk, bool) or not isinstance(pk, int) or pk not in conveners for pk in shared
    ):
        raise InvalidInput(
            str(_("only the initiative's conveners can be chosen")), field="share_with"
        )
    return {
        "level": clean_choice(data.get("level"), "level", Level.values),
        "adversaries": _choices(data.get("adversaries"), "adversaries", ADVERSARIES),
        "channels": _choices(data.get("channels"), "channels", CHANNELS),
        "device": clean_choice(data.get("device") or "personal", "device", DEVICES),
        "known_at_home": clean_choice(
            data.get("known_at_home") or "yes", "known_at_home", KNOWN_AT_HOME
        ),
        "notes": clean_text(
            data.get("notes") or "", "notes", max_chars=MAX_NOTE_CHARS, required=False
        ),
        "share_with": sorted(set(shared)),
    }


def readable(profile: dict[str, Any]) -> dict[str, Any]:
    """A sealed profile in words, for the convener it was shared with (labels translated)."""
    return {
        "handle": profile.get("handle", ""),
        "level": Level(profile["level"]).label,
        "adversaries": [str(ADVERSARIES[a]) for a in profile.get("adversaries", [])],
        "channels": [str(CHANNELS[c]) for c in profile.get("channels", [])],
        "device": str(DEVICES.get(profile.get("device", ""), "")),
        "known_at_home": str(KNOWN_AT_HOME.get(profile.get("known_at_home", ""), "")),
        "notes": profile.get("notes", ""),
    }
