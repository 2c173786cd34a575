"""The base page: neutral title, language and direction, skip link, labels, own origin only."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_has_a_neutral_title_a_skip_link_and_a_main_landmark(client: Client) -> None:
    page = client.get("/accounts/sign-in").content.decode()
    assert re.search(r"<title>Sign in · Dialogue</title>", page)
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert '<html lang="en" dir="ltr">' in page
    assert '<meta name="referrer" content="no-referrer">' in page


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he", "rtl"), ("en", "ltr")])
def test_it_sets_language_and_direction(client: Client, language: str, direction: str) -> None:
    page = client.get("/accounts/sign-in", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page


def test_it_switches_language_with_a_plain_form(client: Client) -> None:
    page = client.get("/accounts/sign-in").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert '<label for="language-select">' in page
    response = client.post("/i18n/setlang/", {"language": "he", "next": "/accounts/sign-in"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in"
    assert 'dir="rtl"' in client.get("/accounts/sign-in").content.decode()


def test_it_labels_every_input(client: Client) -> None:
    page = client.get("/accounts/sign-in").content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page)
    assert ids
    for input_id in ids:
        assert f'<label for="{input_id}">' in page, input_id
    visible = re.findall(r"<input(?![^>]*type=\"hidden\")[^>]*>", page)
    assert all('id="' in tag for tag in visible), visible


def test_it_loads_nothing_from_another_origin(client: Client) -> None:
    page = client.get("/accounts/sign-in").content.decode()
    assert not re.search(r"(src|href|action)=\"(https?:)?//", page)
    assert "<script>" not in page and " style=" not in page  # no inline script or style
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert client.get(asset).status_code == 200, asset


def test_it_writes_the_stylesheet_with_logical_properties(client: Client) -> None:
    css = b"".join(client.get("/static/css/site.css").streaming_content).decode()  # type: ignore[attr-defined]
    assert ":focus-visible" in css
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:", css)
    assert physical == []
    assert "text-align: left" not in css


def test_it_shows_neutral_error_pages(client: Client) -> None:
    missing = client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert "<title>Dialogue</title>" in missing.content.decode()
