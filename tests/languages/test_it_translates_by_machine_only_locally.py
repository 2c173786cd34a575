"""Machine translation is local only: no backend by default, and an address outside the
operator's machine or network is refused unless they explicitly allow it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from factories import Workshop

from tracktwo.dialogues import actions
from tracktwo.dialogues import machine_translation as mt
from tracktwo.practice.errors import Conflict


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:5000",
        "http://localhost:5000/translate",
        "http://[::1]:5000",
        "http://10.1.2.3:5000",
        "http://192.168.0.9",
        "http://172.16.5.4",
        "http://[fd00::5]:5000",
    ],
)
def test_it_accepts_addresses_on_the_operators_network(url: str) -> None:
    assert mt.check_local(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "https://8.8.8.8/translate",
        "https://libretranslate.com/translate",
        "http://[2001:4860:4860::8888]",
        "http://no-such-host.invalid:5000",
        "libretranslate.com",
        "",
    ],
)
def test_it_refuses_outside_addresses(url: str) -> None:
    with pytest.raises(mt.NotLocal):
        mt.check_local(url)


def test_it_lets_the_operator_allow_an_outside_address_explicitly() -> None:
    assert mt.check_local("https://8.8.8.8/translate", allow_remote=True)


@override_settings(
    TRACKTWO_MACHINE_TRANSLATION="tracktwo.dialogues.machine_translation.Backend",
    TRACKTWO_MACHINE_TRANSLATION_URL="https://8.8.8.8/translate",
)
def test_it_refuses_a_configured_backend_at_an_outside_address() -> None:
    with pytest.raises(mt.NotLocal):
        mt.configured()


@pytest.mark.django_db
def test_it_has_no_backend_by_default(workshop: Workshop) -> None:
    assert mt.configured() is None
    seed = actions.write_statement(workshop.dialogue, "Water is shared.", user=workshop.convener)
    with pytest.raises(Conflict):
        mt.machine_translate(seed, "ar", workshop.convener)
