"""The API lane's locale middleware: Django's ``LocaleMiddleware`` without its per-request
re-derivations.

For every request Django's middleware looks up whether the URLconf uses language-prefixed
patterns (twice), matches the path against the language prefix pattern (twice) and walks
the ``Accept-Language`` header through several functions to the language it names -- a
tenth of a vote's CPU in the API lane. tracktwo's URLconf has no language-prefixed
patterns, so for it the answer depends only on the language cookie and
``Accept-Language``: :class:`ApiLocaleMiddleware` asks Django for it once per pair
(:func:`language_for`, Django's own ``get_language_from_request``) and keeps it, and sets the
same ``Vary: Accept-Language`` and ``Content-Language`` on the response. A URLconf with
language prefixes, or a request given its own URLconf, goes through Django's middleware
as before. The kept answers are dropped whenever a setting they depend on changes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class _Asked:
    """What Django's ``get_language_from_request`` reads of a request without a path check."""

    def __init__(self, cookie: str | None, accept: str) -> None:
        self.COOKIES = {} if cookie is None else {settings.LANGUAGE_COOKIE_NAME: cookie}
        self.META = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}


@functools.lru_cache(maxsize=1024)
def language_for(cookie: str | None, accept: str) -> str:
    """The language Django picks for this language cookie and ``Accept-Language`` header."""
    return str(translation.get_language_from_request(_Asked(cookie, accept), check_path=False))  # type: ignore[arg-type]


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "LANGUAGE_COOKIE_NAME"}:
        language_for.cache_clear()


class ApiLocaleMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` with the language kept per cookie and header (module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        super().__init__(get_response)
        self.prefixed = is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]

    def process_request(self, request: HttpRequest) -> None:
        if self.prefixed or hasattr(request, "urlconf"):
            return super().process_request(request)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(language_for(cookie, request.META.get("HTTP_ACCEPT_LANGUAGE", "")))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if self.prefixed or hasattr(request, "urlconf"):
            return super().process_response(request, response)
        if "Vary" in response.headers:
            patch_vary_headers(response, ("Accept-Language",))
        else:  # what patch_vary_headers sets when there is no Vary yet
            response.headers["Vary"] = "Accept-Language"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
