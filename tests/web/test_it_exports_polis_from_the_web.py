"""Conveners download the Pol.is export from the dialogue's page (a button, not only the
CLI or the API); facilitators see no button and are refused the file."""

from __future__ import annotations

import io
import zipfile

import pytest
from factories import assess_tool
from web_support import World, signed_in

pytestmark = pytest.mark.django_db


def test_it_offers_conveners_the_export(world: World) -> None:
    world.seed("Share the water by season.")
    assess_tool(world.dialogue, world.convener, "polis_export")
    client = signed_in(world.convener)
    page = client.get(f"/dialogues/{world.dialogue.pk}/").content.decode()
    href = f"/api/v1/dialogues/{world.dialogue.pk}/export/polis"
    assert f'href="{href}"' in page and "Download the Pol.is export" in page
    answer = client.get(href)
    assert answer.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
    assert "comments.csv" in names
    facilitator = signed_in(world.facilitator)
    assert href not in facilitator.get(f"/dialogues/{world.dialogue.pk}/").content.decode()
    assert facilitator.get(href).status_code in (403, 404)
