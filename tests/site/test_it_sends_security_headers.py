"""Security headers on pages and API responses; CSRF on every form."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PATHS = ["/accounts/sign-in", "/exit", "/no/such/page", "/api/v1/me", "/healthz"]


@pytest.mark.parametrize("path", PATHS)
def test_it_sends_the_hardening_headers(client: Client, path: str) -> None:
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ):
        assert directive in policy, directive
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "http" not in policy  # no other origin at all
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"] or path == "/healthz"


def test_it_refuses_a_form_post_without_the_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()
    page = client.get("/accounts/sign-in")
    token = page.cookies["csrftoken"].value
    accepted = client.post(
        "/accounts/sign-in", {"username": "x", "password": "y", "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 200


def test_it_sets_session_and_csrf_cookies_http_only_and_same_site(db: None) -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_it_puts_a_csrf_token_in_every_post_form() -> None:
    import re
    from pathlib import Path

    import tracktwo

    templates = Path(tracktwo.__file__).parent / "templates"
    checked = 0
    for template in templates.rglob("*.html"):
        text = template.read_text()
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            if re.search(r'method="post"', form, flags=re.I):
                checked += 1
                assert "{% csrf_token %}" in form, f"{template.name}: POST form without CSRF token"
    assert checked >= 8
