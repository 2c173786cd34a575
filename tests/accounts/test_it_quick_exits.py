"""Quick exit: /exit ends the session on the server and shows an innocuous page."""

from __future__ import annotations

import pytest
from accounts_support import sign_in
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import Client, RequestFactory
from factories import Account

pytestmark = pytest.mark.django_db


def test_it_ends_a_signed_in_session(client: Client, account: Account) -> None:
    sign_in(client, account)
    key = client.session.session_key
    response = client.get("/exit")
    assert response.status_code == 200
    assert not SessionStore().exists(key)
    assert client.get("/accounts/").status_code == 302
    assert response["Cache-Control"] == "no-store"
    assert response["Clear-Site-Data"] == '"cookies", "storage"'


def test_it_ends_a_participant_session_even_without_a_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    session = client.session
    session["tracktwo.participant"] = 41
    session.save()
    key = session.session_key
    assert client.post("/exit").status_code == 200
    assert not SessionStore().exists(key)


def test_it_shows_a_page_that_says_nothing_of_the_site(client: Client, db: None) -> None:
    page = client.get("/exit").content.decode()
    assert "<title>Lentil soup</title>" in page
    for word in ("Dialogue", "dialogue", "sign", "Sign", "exit", "tracktwo", "<script"):
        assert word not in page, word


def test_it_offers_the_control_on_pages_that_enable_it(db: None) -> None:
    request = RequestFactory().get("/somewhere")
    template = Template(
        '{% extends "base.html" %}'
        "{% block quick_exit %}{% with quick_exit=True %}{{ block.super }}{% endwith %}"
        "{% endblock %}"
    )
    page = template.render(Context({"request": request}))
    assert 'href="/exit"' in page
    assert "data-quick-exit" in page
    assert "/static/js/quick-exit.js" in page
    plain = Template('{% extends "base.html" %}').render(Context({"request": request}))
    assert 'href="/exit"' not in plain


def test_it_ships_a_script_that_replaces_the_location_on_double_escape(client: Client) -> None:
    from pathlib import Path

    import tracktwo

    script = (Path(tracktwo.__file__).parent / "static/js/quick-exit.js").read_text()
    assert "location.replace" in script
    assert '"Escape"' in script
