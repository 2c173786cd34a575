"""Basic accessibility of the participant's pages: every form field has a label, the page
has a skip link to the main content, and every text colour in the stylesheets reaches a
contrast of 4.5:1 (WCAG AA) against its background, on white and on the soft panels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from web_support import World

import tracktwo

STATIC = Path(tracktwo.__file__).parent / "static" / "css"
AA = 4.5


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rules() -> list[tuple[str, dict[str, str]]]:
    css = "\n".join(p.read_text() for p in sorted(STATIC.glob("*.css")))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip())
            for name, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body)
        )
        found.append((" ".join(selector.split()), declarations))
    return found


def _resolve(value: str, variables: dict[str, str]) -> str | None:
    value = value.split()[0] if value else value
    while value.startswith("var("):
        value = variables.get(value[4:].rstrip(")").strip(), "")
    return value if re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value) else None


def test_it_gives_every_text_colour_enough_contrast() -> None:
    rules = _rules()
    variables = {k: v for _s, d in rules for k, v in d.items() if k.startswith("--")}
    paper, soft = variables["--paper"], variables["--soft"]
    checked = 0
    for selector, declarations in rules:
        if "color" not in declarations:
            continue
        ink = _resolve(declarations["color"], variables)
        if ink is None:
            continue
        background = _resolve(declarations.get("background", ""), variables)
        grounds = [background] if background else [paper, soft]
        for ground in grounds:
            ratio = contrast(ink, ground)
            assert ratio >= AA, f"{selector}: {ink} on {ground} is {ratio:.2f}:1"
            checked += 1
    assert checked >= 15


def test_it_computes_contrast_as_wcag_does() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777", "#ffffff") < AA


@pytest.mark.django_db
def test_it_labels_every_field_of_the_participant_pages(world: World) -> None:
    world.seed("Both valleys need clean water.")
    joining = world.join("Heron")  # joined through the pages; now look at each of them
    pages = ["/vote", "/write", "/me", "/withdraw", "/rules"]
    for path in pages:
        page = joining.get(f"/d/{world.dialogue.pk}{path}").content.decode()
        assert '<a class="skip-link" href="#main">' in page, path
        fields = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page)
        for tag in fields:
            if re.search(r'type="(hidden|submit)"', tag):
                continue
            field_id = re.search(r'\bid="([^"]+)"', tag)
            assert field_id, (path, tag)
            assert f'<label for="{field_id.group(1)}"' in page, (path, tag)
    invited = world.invite()
    newcomer = Client()
    newcomer.get(f"/join/{invited}")
    join = newcomer.get("/join").content.decode()
    for name in ("handle", "gender", "accept"):
        assert f'<label for="id_{name}">' in join, name
