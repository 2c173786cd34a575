"""``Origin: null`` (what browsers send under ``Referrer-Policy: no-referrer``) passes the CSRF
check only when the browser marks the request ``Sec-Fetch-Site: same-origin``, and only
with the CSRF token; a cross-site unsafe request is refused whatever it carries."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

FORM = "/accounts/sign-in"


def _post(secure: bool, token: bool, **headers: str) -> int:
    client = Client(enforce_csrf_checks=True)
    page = client.get(FORM, secure=secure)
    data = {"username": "nobody", "password": "not the password"}
    if token:
        data["csrfmiddlewaretoken"] = page.cookies["csrftoken"].value
    return client.post(FORM, data, secure=secure, headers=headers).status_code


@pytest.mark.parametrize("secure", [False, True])
def test_it_accepts_origin_null_from_our_own_page(secure: bool) -> None:
    assert _post(secure, True, origin="null", sec_fetch_site="same-origin") == 200


@pytest.mark.parametrize("site", ["same-site", "cross-site", "none", None])
@pytest.mark.parametrize("secure", [False, True])
def test_it_refuses_origin_null_from_anywhere_else(secure: bool, site: str | None) -> None:
    headers = {"origin": "null"}
    if site is not None:
        headers["sec_fetch_site"] = site
    assert _post(secure, True, **headers) == 403


def test_it_still_checks_the_csrf_token() -> None:
    assert _post(True, False, origin="null", sec_fetch_site="same-origin") == 403


def test_it_refuses_a_cross_site_post_even_with_our_origin() -> None:
    headers = {"origin": "https://testserver", "sec_fetch_site": "cross-site"}
    assert _post(True, True, **headers) == 403


def test_it_refuses_a_cross_site_post_to_the_api() -> None:
    response = Client().post(
        "/api/v1/join",
        {"token": "t2i_x", "handle": "x", "accept_ground_rules": True},
        content_type="application/json",
        headers={"sec_fetch_site": "cross-site"},
    )
    assert response.status_code == 403


def test_it_leaves_requests_without_fetch_metadata_to_the_usual_checks() -> None:
    assert _post(True, True, referer="https://testserver/accounts/sign-in") == 200
    assert _post(True, True) == 403  # HTTPS without Origin or Referer, as Django decides
