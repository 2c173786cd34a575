"""The participants' API serves each reader's language, as the pages do: ``?lang=`` (one of
the site's languages), else ``Accept-Language``; the original on request; one statement id,
so votes pool across languages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from factories import Workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues.actions import translations
from tracktwo.dialogues.models import Vote

pytestmark = pytest.mark.django_db

ARABIC = "الماء حق للجميع"
HEBREW = "המים הם זכות של כולם"


def _api(workshop: Workshop, handle: str, party: int, language: str = "") -> Client:
    joined = workshop.join(handle, party)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {joined.token}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return Client(**headers)  # type: ignore[arg-type]


def test_it_serves_the_next_statement_in_the_readers_language(workshop: Workshop) -> None:
    seed = actions.write_statement(workshop.dialogue, ARABIC, user=workshop.convener, language="ar")
    translations.translate_statement(seed, "he", HEBREW, workshop.convener)
    base = f"/api/v1/dialogues/{workshop.dialogue.pk}"
    hebrew = _api(workshop, "CANARY-Heron", 1, "he")
    shown = hebrew.get(f"{base}/next-statement").json()
    assert (shown["id"], shown["text"], shown["language"]) == (seed.pk, HEBREW, "he")
    assert shown["translated"] is True and shown["original_language"] == "ar"
    own = hebrew.get(f"{base}/next-statement?original=true").json()
    assert (own["id"], own["text"], own["language"], own["translated"]) == (
        seed.pk,
        ARABIC,
        "ar",
        False,
    )
    arabic = _api(workshop, "CANARY-Crane", 0)  # no Accept-Language: ?lang= decides
    asked = arabic.get(f"{base}/next-statement?lang=ar").json()
    assert (asked["text"], asked["language"], asked["translated"]) == (ARABIC, "ar", False)
    english = arabic.get(f"{base}/next-statement").json()  # no English version: the original
    assert (english["text"], english["language"], english["translated"]) == (ARABIC, "ar", False)
    for client in (hebrew, arabic):
        voted = client.post(
            f"{base}/votes",
            json.dumps({"statement": seed.pk, "vote": "agree"}),
            content_type="application/json",
        )
        assert voted.status_code == 201
    assert Vote.objects.filter(statement=seed).count() == 2  # pooled on one statement
    assert "CANARY" not in json.dumps([shown, own, asked])


def test_it_lists_statements_in_the_readers_language(workshop: Workshop) -> None:
    seed = actions.write_statement(workshop.dialogue, ARABIC, user=workshop.convener, language="ar")
    translations.translate_statement(seed, "he", HEBREW, workshop.convener)
    base = f"/api/v1/dialogues/{workshop.dialogue.pk}"
    hebrew = _api(workshop, "CANARY-Heron", 1)
    (row,) = hebrew.get(f"{base}/statements?lang=he").json()
    assert (row["id"], row["text"], row["language"], row["translated"]) == (
        seed.pk,
        HEBREW,
        "he",
        True,
    )
    assert row["original_language"] == "ar"
    (row,) = hebrew.get(f"{base}/statements?lang=he&original=true").json()
    assert (row["text"], row["language"], row["translated"]) == (ARABIC, "ar", False)
    (row,) = (
        Client(HTTP_AUTHORIZATION=hebrew.defaults["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="he")
        .get(f"{base}/statements")
        .json()
    )
    assert row["text"] == HEBREW


def test_it_refuses_a_language_the_site_does_not_ship(workshop: Workshop) -> None:
    actions.write_statement(workshop.dialogue, ARABIC, user=workshop.convener, language="ar")
    base = f"/api/v1/dialogues/{workshop.dialogue.pk}"
    client = _api(workshop, "CANARY-Heron", 1)
    for path in ("next-statement", "statements"):
        answer = client.get(f"{base}/{path}?lang=xx")
        assert answer.status_code == 400
        assert "lang" in json.dumps(answer.json())
