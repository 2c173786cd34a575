"""Joining through the page may record the optional profile the issue lists -- gender,
region and the languages one can take part in -- sealed with the rest of the profile; the
delegation balance then counts participants per region too (facilitators only)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from web_support import World, participant_of, signed_in, text_of

from tracktwo.dialogues.models.contributions import Profile
from tracktwo.safety.datakeys import box_for

pytestmark = pytest.mark.django_db


def _join(world: World, handle: str, **fields: object) -> Client:
    client = Client()
    client.get(f"/join/{world.invite()}")
    response = client.post("/join", {"handle": handle, "accept": "on", **fields})
    assert response.status_code == 201, text_of(response.content)
    return client


def test_it_offers_the_optional_fields_each_labelled(world: World) -> None:
    client = Client()
    client.get(f"/join/{world.invite()}")
    page = client.get("/join").content.decode()
    assert '<label for="id_region">' in page
    boxes = re.findall(
        r'<input type="checkbox" name="languages" value="(\w+)"[^>]*id="([^"]+)"', page
    )
    assert [code for code, _ in boxes] == ["en", "ar", "he", "fr", "ru", "es"]
    for _code, box_id in boxes:
        assert f'<label for="{box_id}"' in page
    assert '<label for="id_languages_1" lang="ar">العربية</label>' in page


def test_it_seals_region_and_languages_into_the_profile(world: World) -> None:
    client = _join(world, "Heron", region="North bank", languages=["ar", "en"], gender="female")
    participant = participant_of(client)
    profile = Profile.from_json(participant.profile.read(box_for(world.initiative.pk)))
    assert (profile.region, profile.languages, profile.gender) == (
        "North bank",
        ("ar", "en"),
        "female",
    )
    assert b"North bank" not in bytes(participant.profile_sealed)


def test_it_counts_regions_in_the_delegation_balance(world: World) -> None:
    _join(world, "Heron", region="North bank")
    _join(world, "Wren", region="North bank")
    _join(world, "Kestrel")
    page = signed_in(world.facilitator).get(f"/dialogues/{world.dialogue.pk}/invitations")
    html = page.content.decode()
    table = html[html.index("Per region") :]
    table = table[: table.index("</table>")]
    assert re.search(r'North bank</th><td class="num">2<', table)
    assert re.search(r'\(not given\)</th><td class="num">1<', table)


def test_it_refuses_a_language_it_does_not_offer(world: World) -> None:
    client = Client()
    client.get(f"/join/{world.invite()}")
    response = client.post("/join", {"handle": "Heron", "accept": "on", "languages": ["xx"]})
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response.content)
