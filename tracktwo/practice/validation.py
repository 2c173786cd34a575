"""Checking what people type: texts, handles, choices. Errors name the field at fault."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tracktwo.practice.errors import InvalidInput

MAX_HANDLE_CHARS = 40
MAX_TITLE_CHARS = 200
MAX_NAME_CHARS = 200
MAX_LONG_TEXT_CHARS = 20_000
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


def _has_control_characters(text: str, multiline: bool) -> bool:
    allowed = {"\n", "\t"} if multiline else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


# Letters that draw nothing (fillers and blanks), counted as invisible like format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
# Direction controls: embeddings and overrides end with PDF, isolates with PDI.
_OPENERS = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c"}
_OPENERS.update({"\u2066": "\u2069", "\u2067": "\u2069", "\u2068": "\u2069"})
_CLOSERS = frozenset({"\u202c", "\u2069"})


def _visible(ch: str) -> bool:
    return not (
        ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in {"Cf", "Cc", "Zs"}
    )


def balanced_direction_controls(text: str) -> bool:
    """Whether every embedding, override and isolate opened in a line is closed in it, in
    order (so the text cannot flip the direction of what follows it on a page)."""
    for line in text.split("\n"):
        stack: list[str] = []
        for ch in line:
            if ch in _OPENERS:
                stack.append(_OPENERS[ch])
            elif ch in _CLOSERS and (not stack or stack.pop() != ch):
                return False
        if stack:
            return False
    return True


def _check_visible_and_balanced(text: str, field: str) -> None:
    if text and not any(_visible(ch) for ch in text):
        raise InvalidInput(
            _("contains only invisible characters: write some visible text"), field=field
        )
    if not balanced_direction_controls(text):
        raise InvalidInput(
            _(
                "has a text-direction control (such as U+202E) that is not closed: remove it "
                "or close it on the same line"
            ),
            field=field,
        )


def clean_text(
    value: Any, field: str, *, max_chars: int, required: bool = True, multiline: bool = False
) -> str:
    """NFC-normalised, stripped text; raises InvalidInput naming ``field`` when unusable."""
    if not isinstance(value, str):
        raise InvalidInput(_("must be text"), field=field)
    text = unicodedata.normalize("NFC", value).strip()
    if not multiline:
        text = " ".join(text.split())
    if _has_control_characters(text, multiline):
        raise InvalidInput(_("contains control characters"), field=field)
    _check_visible_and_balanced(text, field)
    if required and not text:
        raise InvalidInput(_("must not be empty"), field=field)
    if len(text) > max_chars:
        raise InvalidInput(
            _("must be at most %(max)d characters (it has %(n)d)")
            % {"max": max_chars, "n": len(text)},
            field=field,
        )
    return text


def clean_handle(value: Any, field: str = "handle") -> str:
    """A handle as shown (NFC, whitespace squeezed), 1-40 characters with a letter or digit."""
    handle = clean_text(value, field, max_chars=MAX_HANDLE_CHARS)
    if any(unicodedata.category(ch) == "Cf" for ch in handle):
        raise InvalidInput(_("contains invisible characters"), field=field)
    if not any(ch.isalnum() for ch in handle):
        raise InvalidInput(_("must contain at least one letter or digit"), field=field)
    return handle


# What people type for a gender when a client sends free text, mapped onto the list.
_GENDER_WORDS = {
    "f": "female",
    "woman": "female",
    "female": "female",
    "m": "male",
    "man": "male",
    "male": "male",
    "nonbinary": "non-binary",
    "non-binary": "non-binary",
    "non binary": "non-binary",
    "prefer not to say": "prefer-not-to-say",
}


def clean_gender(value: Any, field: str = "gender") -> str:
    """One of ``practice.formats.Gender``'s values, or "" (not given). Free text from an API
    client is mapped case-blind onto the list; anything else counts as "self-described"."""
    from tracktwo.practice.formats import Gender

    text = clean_text(value, field, max_chars=60, required=False).casefold()
    if not text or text in Gender.values:
        return text
    return _GENDER_WORDS.get(text, Gender.SELF_DESCRIBED.value)


def clean_choice(value: Any, field: str, choices: Iterable[str]) -> str:
    allowed = list(choices)
    if value not in allowed:
        raise InvalidInput(
            _("%(value)r is not one of: %(allowed)s")
            % {"value": value, "allowed": ", ".join(allowed)},
            field=field,
        )
    return str(value)


def clean_int(value: Any, field: str, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("must be a whole number"), field=field)
    if not minimum <= value <= maximum:
        raise InvalidInput(
            _("must be between %(min)d and %(max)d") % {"min": minimum, "max": maximum}, field=field
        )
    return value


def clean_names(values: Any, field: str, *, minimum: int, max_chars: int) -> list[str]:
    """A list of distinct names (compared case-blind), at least ``minimum`` of them."""
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise InvalidInput(_("must be a list of names"), field=field)
    names = [clean_text(v, f"{field}[{i}]", max_chars=max_chars) for i, v in enumerate(values)]
    if len(names) < minimum:
        raise InvalidInput(_("needs at least %(n)d entries") % {"n": minimum}, field=field)
    seen: set[str] = set()
    for i, name in enumerate(names):
        key = name.casefold()
        if key in seen:
            raise InvalidInput(_("appears twice"), field=f"{field}[{i}]")
        seen.add(key)
    return names


def clean_languages(values: Any, field: str = "languages") -> list[str]:
    """Language tags such as ``ar``, ``he``, ``en-GB`` (at most 10)."""
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise InvalidInput(_("must be a list of language tags"), field=field)
    if len(values) > 10:
        raise InvalidInput(_("at most 10 languages"), field=field)
    tags: list[str] = []
    for i, value in enumerate(values):
        if not isinstance(value, str) or not _LANGUAGE.fullmatch(value.strip()):
            raise InvalidInput(
                _("is not a language tag such as 'ar' or 'en-GB'"), field=f"{field}[{i}]"
            )
        tags.append(value.strip())
    return tags
