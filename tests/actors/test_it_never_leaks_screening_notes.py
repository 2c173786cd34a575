"""Screening notes and candidates' names never leave the conveners' delegation page: not in
the dashboard, the balance, the gaps, the invitations page, a brief, the audit log -- and
never in clear in the database."""

from __future__ import annotations

from actors_support import QUOTAS, api, client_of, generated_pool
from django.db import connection
from factories import Workshop

from tracktwo.initiatives.actors import actions, drawing

CANARY = "CANARYQUEBECSCREEN"
NAME = "CANARYNAMEROMEO"


def _all_rows_as_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, (bytes, memoryview)):
                        chunks.append(bytes(cell).decode("latin-1"))
                    else:
                        chunks.append(str(cell))
    return "\n".join(chunks)


def test_it_keeps_screening_notes_and_names_to_the_conveners_page(workshop: Workshop) -> None:
    workshop.cast("facilitator", "observer")
    pool = generated_pool(30, 2, canary=CANARY).replace("Person 1,", f"{NAME},")
    actions.import_pool(workshop.dialogue, workshop.convener, pool)
    actions.set_plan(workshop.dialogue, workshop.convener, QUOTAS)
    made = drawing.draw(workshop.dialogue, workshop.convener, 6, seed=2)
    drawing.invite_drawn(workshop.dialogue, workshop.convener, made.pk)
    d = workshop.dialogue.pk
    own = client_of(workshop, "convener").get(f"/dialogues/{d}/delegation")
    assert CANARY in own.content.decode()  # the search would see a leak
    seen: list[str] = []
    for persona in ("facilitator", "observer", "convener"):
        client = client_of(workshop, persona)
        for url in (f"/dialogues/{d}/dashboard", f"/dialogues/{d}/invitations"):
            seen.append(client.get(url).content.decode())
        headers = api(workshop, persona)
        for url in (
            f"/api/v1/dialogues/{d}/delegation/balance",
            f"/api/v1/dialogues/{d}/delegation/gaps",
            f"/api/v1/dialogues/{d}/brief?format=md",
        ):
            seen.append(client.get(url, **headers).content.decode())
        seen.append(
            client_of(workshop, persona).get(f"/dialogues/{d}/delegation").content.decode()
            if persona != "convener"
            else ""
        )
    text = "\n".join(seen)
    assert CANARY not in text and NAME not in text
    stored = _all_rows_as_text()
    assert CANARY not in stored and NAME not in stored
    assert "delegation.drawn" in stored  # the search reads the audit log too
