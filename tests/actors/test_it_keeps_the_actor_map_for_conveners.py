"""The actor map: conveners import, draw and export it; nobody else in the initiative sees it."""

from __future__ import annotations

import pytest
from actors_support import ACTORS, TIES, api, client_of
from django.test import Client
from factories import Workshop

from tracktwo.initiatives.actors import actions, queries
from tracktwo.initiatives.actors.models import Actor, ActorTie
from tracktwo.practice.errors import InvalidInput


def test_it_imports_the_map_and_draws_it_with_tracks_as_bands(workshop: Workshop) -> None:
    counts = actions.import_actors(workshop.initiative, workshop.convener, ACTORS, TIES)
    assert counts == {"actors": 4, "ties": 3}
    svg = queries.map_svg(workshop.initiative)
    assert svg.startswith("<svg") and "Minister Odile" in svg and "Track 1.5" in svg
    assert 'stroke-dasharray="6 4"' in svg  # the tension
    page = client_of(workshop, "convener").get(f"/initiatives/{workshop.initiative.pk}/actors")
    assert page.status_code == 200
    assert b"Valley Farmers Union" in page.content and b"<svg" in page.content
    exported = client_of(workshop, "convener").get(
        f"/initiatives/{workshop.initiative.pk}/actors.csv"
    )
    text = exported.content.decode()
    assert text.splitlines()[0].startswith("id,kind,name,side,track,level")
    assert "Imam Karim" in text and exported["Cache-Control"] == "no-store"


def test_it_refuses_the_map_to_everyone_but_conveners(workshop: Workshop) -> None:
    workshop.cast("facilitator", "observer", "liaison", "outsider", "lead_facilitator")
    actions.import_actors(workshop.initiative, workshop.convener, ACTORS)
    url = f"/initiatives/{workshop.initiative.pk}/actors"
    statuses = {p: client_of(workshop, p).get(url).status_code for p in workshop.people}
    assert statuses == {
        "convener": 200,
        "facilitator": 403,
        "observer": 403,
        "liaison": 404,
        "outsider": 404,
        "lead_facilitator": 403,
    }
    assert Client().get(url).status_code == 302
    route = f"/api/v1/initiatives/{workshop.initiative.pk}/actors"
    answers = {
        p: client_of(workshop, "convener").get(route, **api(workshop, p)) for p in workshop.people
    }
    assert {p: r.status_code for p, r in answers.items()} == {
        "convener": 200,
        "facilitator": 403,
        "observer": 403,
        "liaison": 403,
        "outsider": 404,
        "lead_facilitator": 403,
    }
    assert "Minister Odile" not in answers["facilitator"].content.decode()
    assert {a["name"] for a in answers["convener"].json()["actors"]} >= {"Minister Odile"}
    with pytest.raises(Exception, match="may not"):
        actions.import_actors(workshop.initiative, workshop.people["lead_facilitator"], ACTORS)


@pytest.mark.parametrize(
    ("actors", "ties", "where"),
    [
        (
            ACTORS.replace("Imam Karim,Downstream,7", "Imam Karim,Downstream,11"),
            "",
            "actors.csv, line 5, field track",
        ),
        (ACTORS.replace("Upstream,1,top", "Midstream,1,top"), "", "actors.csv, line 2, field side"),
        (
            ACTORS.replace(",3,3,yes,", ",3,3,perhaps,"),
            "",
            "actors.csv, line 2, field decision_maker",
        ),
        (ACTORS.replace("a,person", "b,person"), "", "actors.csv, line 3, field id"),
        (ACTORS, "from,to,kind\na,z,tie\n", "ties.csv, field to"),
        (ACTORS, "from,to,kind\na,b,friendship\n", "ties.csv, line 2, field kind"),
    ],
)
def test_it_names_the_line_and_field_of_a_bad_row_and_stores_nothing(
    workshop: Workshop, actors: str, ties: str, where: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        actions.import_actors(workshop.initiative, workshop.convener, actors, ties)
    assert raised.value.field == where
    assert not Actor.objects.filter(initiative=workshop.initiative).exists()
    assert not ActorTie.objects.filter(initiative=workshop.initiative).exists()


def test_it_shows_the_import_error_on_the_page(workshop: Workshop) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("actors.csv", ACTORS.replace(",top,", ",summit,", 1).encode())
    client = client_of(workshop, "convener")
    url = f"/initiatives/{workshop.initiative.pk}/actors"
    answer = client.post(url, {"action": "import", "actors": bad}, follow=True)
    assert b"actors.csv, line 2, field level" in answer.content
