"""API errors are JSON {"detail": ...} with a 4xx status, never an HTML page or a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import Client, RequestFactory

from tracktwo.site.api import _domain_error


class HandleTaken(Exception):
    """Shaped like the dialogue app's domain errors: a message and an ``http_status``."""

    http_status = 409


def _answer(exc: Exception) -> tuple[int, dict[str, object]]:
    import json

    response = _domain_error(RequestFactory().post("/api/v1/join"), exc)
    return response.status_code, json.loads(response.content)


@pytest.mark.parametrize(
    ("exc", "status", "detail"),
    [
        (
            HandleTaken("handle: this handle is taken in this dialogue"),
            409,
            "handle: this handle is taken in this dialogue",
        ),
        (PermissionDenied("not a member of this dialogue"), 403, "not a member of this dialogue"),
        (ObjectDoesNotExist("Dialogue matching query does not exist."), 404, "Not found"),
        (ValidationError(["title: too long"]), 400, "title: too long"),
    ],
)
def test_it_maps_domain_errors_to_their_status(exc: Exception, status: int, detail: str) -> None:
    assert _answer(exc) == (status, {"detail": detail})


def test_it_maps_the_dialogue_apps_errors() -> None:
    from tracktwo.practice import errors

    for name in ("NotAllowed", "NotFound", "HandleTaken", "InvitationUsed"):
        cls = getattr(errors, name)
        status, body = _answer(cls("refused"))
        assert status == cls.http_status and 400 <= status < 500
        assert body == {"detail": "refused"}


def test_it_lets_real_faults_through_as_500() -> None:
    with pytest.raises(ZeroDivisionError):
        _domain_error(RequestFactory().get("/api/v1/me"), ZeroDivisionError("bug"))


def test_it_answers_unknown_api_paths_with_json(client: Client, db: None) -> None:
    response = client.get("/api/v1/no-such-route")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_it_answers_a_server_error_under_the_api_with_json(db: None) -> None:
    from tracktwo.accounts.shell import server_error

    response = server_error(RequestFactory().get("/api/v1/anything"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    page = server_error(RequestFactory().get("/accounts/"))
    assert page.status_code == 500 and b"Something went wrong" in page.content
