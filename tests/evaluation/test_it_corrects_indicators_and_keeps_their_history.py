"""An indicator can be corrected, removed, and a mistaken monitoring entry taken back, by API
and on the page; a changed baseline or target keeps its earlier value and the day it changed,
on the page and in the report; every change is audited; strangers learn nothing."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone
from evaluation_support import Workshop, api_call, make_user

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.safety.audit import events_for

_call = api_call


def _indicator(workshop: Workshop, token: str) -> dict[str, Any]:
    base = f"/initiatives/{workshop.initiative.pk}/evaluation"
    body = {"name": "Trust", "baseline": "2.1", "target": "3", "measure": "outgroup_trust"}
    status, view = _call("post", f"{base}/indicators", token, body)
    assert status == 201, view
    [indicator] = view["indicators"]
    for on in ("2026-11-01", "2026-10-01"):
        entry = {"value": on[5:7], "on": on, "source": "survey"}
        status, view = _call(
            "post", f"/evaluation/indicators/{indicator['id']}/entries", token, entry
        )
        assert status == 200, view
    return dict(view["indicators"][0])


def test_it_corrects_an_indicator_and_keeps_the_earlier_target(workshop: Workshop) -> None:
    token = workshop.token_for(workshop.convener)
    indicator = _indicator(workshop, token)
    url = f"/evaluation/indicators/{indicator['id']}"
    assert indicator["revisions"] == []

    status, view = _call("patch", url, token, {"name": "Trust across the river"})
    [edited] = view["indicators"]
    assert status == 200 and edited["name"] == "Trust across the river"
    assert edited["revisions"] == [] and len(edited["entries"]) == 2  # entries stay

    status, view = _call("patch", url, token, {"target": "3.5", "baseline": "2.1"})
    [edited] = view["indicators"]
    today = timezone.localdate().isoformat()
    assert status == 200 and edited["target"] == "3.5"
    assert edited["revisions"] == [{"on": today, "target": "3"}]  # baseline did not change

    status, view = _call("patch", url, token, {"measure": "nonsense"})
    assert status == 400 and view["detail"].startswith("measure")
    status, view = _call("patch", url, token, {"outcomes": True, "measure": ""})
    [edited] = view["indicators"]
    assert status == 200 and edited["outcome_count"] == 0 and edited["measure"] == ""

    actions = [e.action for e in events_for(workshop.initiative.pk)]
    assert actions.count("evaluation.indicator_edited") == 3  # the refused call wrote nothing


def test_it_takes_back_an_entry_and_removes_an_indicator(workshop: Workshop) -> None:
    token = workshop.token_for(workshop.convener)
    indicator = _indicator(workshop, token)
    url = f"/evaluation/indicators/{indicator['id']}"
    assert [e["on"] for e in indicator["entries"]] == ["2026-10-01", "2026-11-01"]

    status, view = _call("delete", f"{url}/entries/1", token)
    assert status == 200 and [e["on"] for e in view["indicators"][0]["entries"]] == ["2026-11-01"]
    status, view = _call("delete", f"{url}/entries/2", token)
    assert status == 404 and view["detail"] == "no such monitoring entry"

    status, view = _call("delete", url, token)
    assert status == 200 and view["indicators"] == []
    assert _call("patch", url, token, {"name": "Back"})[0] == 404
    actions = [e.action for e in events_for(workshop.initiative.pk)]
    assert "evaluation.indicator_entry_removed" in actions
    assert "evaluation.indicator_removed" in actions


def test_it_refuses_observers_and_tells_strangers_nothing(workshop: Workshop) -> None:
    indicator = _indicator(workshop, workshop.token_for(workshop.convener))
    url = f"/evaluation/indicators/{indicator['id']}"
    observer = make_user("observer")
    initiative_actions.add_member(workshop.initiative, observer, "observer", workshop.convener)
    watching = workshop.token_for(observer)
    assert _call("patch", url, watching, {"name": "Mine"})[0] == 403
    assert _call("delete", url, watching)[0] == 403
    stranger = workshop.token_for(make_user("stranger"))
    found = _call("delete", url, stranger)
    missing = _call("delete", "/evaluation/indicators/999999", stranger)
    assert found == missing == (404, {"detail": "no such indicator"})


def test_it_corrects_on_the_page_and_shows_the_history_in_the_report(workshop: Workshop) -> None:
    indicator = _indicator(workshop, workshop.token_for(workshop.convener))
    page = Client()
    page.force_login(workshop.convener)
    initiative_page = f"/initiatives/{workshop.initiative.pk}/evaluation"
    html = page.get(initiative_page).content.decode()
    assert "Correct or remove this indicator" in html and "Take back this entry" in html

    correction = {
        "action": "edit-indicator",
        "indicator": str(indicator["id"]),
        "name": "Trust",
        "baseline": "1.9",
        "target": "3",
        "measure": "outgroup_trust",
    }
    html = page.post(initiative_page, correction, follow=True).content.decode()
    assert "Baseline changed on" in html and "2.1" in html
    bad = page.post(initiative_page, {**correction, "indicator": "x"}, follow=True)
    assert "indicator: must be a number" in bad.content.decode()
    taken = {"action": "remove-entry", "indicator": str(indicator["id"]), "position": "2"}
    html = page.post(initiative_page, taken, follow=True).content.decode()
    assert "2026-11-01" not in html and "2026-10-01" in html

    report = page.get(f"/dialogues/{workshop.dialogue.pk}/evaluation/report").content.decode()
    assert "1.9" in report and "was:" in report and "2.1" in report

    removal = {"action": "remove-indicator", "indicator": str(indicator["id"])}
    html = page.post(initiative_page, removal, follow=True).content.decode()
    assert "Correct or remove this indicator" not in html
