"""The API lane's locale middleware picks the language Django's ``LocaleMiddleware`` picks,
for every language cookie and ``Accept-Language`` header, and sets the same ``Vary`` and
``Content-Language``; a change of the site's languages is seen at once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory, override_settings
from django.utils import translation

from tracktwo.site.lane_locale import ApiLocaleMiddleware


def _answer(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(translation.get_language(), content_type="application/json")
    if request.GET.get("vary"):  # a view's own Vary is kept and extended alike
        response["Vary"] = request.GET["vary"]
    return response


def _through(
    middleware: type[LocaleMiddleware], cookie: str | None, accept: str, vary: str = ""
) -> tuple:
    request = RequestFactory().post(
        f"/api/v1/dialogues/1/votes?vary={vary}", HTTP_ACCEPT_LANGUAGE=accept
    )
    if cookie is not None:
        request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = cookie
    try:
        response = middleware(_answer)(request)
        return (
            response.content,
            request.LANGUAGE_CODE,  # type: ignore[attr-defined]
            response["Content-Language"],
            response["Vary"],
        )
    finally:
        translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.parametrize(
    ("cookie", "accept"),
    [
        (None, ""),
        (None, "fr"),
        (None, "fr-CA,fr;q=0.9,en;q=0.5"),
        (None, "de-DE,de;q=0.9"),  # not a site language: the default
        (None, "he-IL"),
        (None, "ar;q=0.2, ru;q=0.8"),
        (None, "*"),
        (None, "not a header ;;; q=x"),
        ("es", "fr"),  # the cookie first
        ("xx", "ru"),  # an unknown cookie is passed over
        ("", "ar"),
    ],
)
def test_it_picks_the_same_language_in_the_api_lane(cookie: str | None, accept: str) -> None:
    assert _through(ApiLocaleMiddleware, cookie, accept) == _through(
        LocaleMiddleware, cookie, accept
    )


@pytest.mark.parametrize("vary", ["", "Authorization", "accept-language", "*"])
def test_it_sets_the_same_vary_header(vary: str) -> None:
    assert _through(ApiLocaleMiddleware, None, "fr", vary) == _through(
        LocaleMiddleware, None, "fr", vary
    )


def test_it_sees_a_change_of_the_site_languages() -> None:
    assert _through(ApiLocaleMiddleware, None, "fr")[1] == "fr"
    with override_settings(LANGUAGES=[("en", "English"), ("ru", "Russian")]):
        assert _through(ApiLocaleMiddleware, None, "fr")[1] == "en"
        assert _through(LocaleMiddleware, None, "fr")[1] == "en"
    assert _through(ApiLocaleMiddleware, None, "fr")[1] == "fr"
