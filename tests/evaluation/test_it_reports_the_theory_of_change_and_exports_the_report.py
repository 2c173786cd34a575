"""The theory of change with indicators (API and page), the outcome register page, the
evaluation report as HTML and PDF (non-attributable: no handle), and its summary in a brief."""

from __future__ import annotations

import io

from django.test import Client
from evaluation_support import Workshop, api_call, make_user
from pypdf import PdfReader

from tracktwo.initiatives import actions as initiative_actions
from tracktwo.transfer import actions as transfer

_call = api_call


def _answer(workshop: Workshop) -> None:
    workshop.survey("pre", "post")
    from tracktwo.evaluation import actions as evaluation

    for side in (0, 1):
        for i in range(6):
            person = workshop.join(f"CANARY-HANDLE-{side}-{i}", side)
            evaluation.answer(person, "pre", {"thermometer": 30 + i})
            evaluation.answer(person, "post", {"thermometer": 50 + 2 * i})


def test_it_keeps_a_theory_of_change_with_indicators(workshop: Workshop) -> None:
    token = workshop.token_for(workshop.convener)
    base = f"/initiatives/{workshop.initiative.pk}/evaluation"
    theory = {"if": "both sides meet", "then": "trust grows", "because": "contact works"}
    status, view = _call(
        "put",
        f"{base}/theory",
        token,
        {**theory, "rpp_people": "key", "rpp_level": "socio-political"},
    )
    assert status == 200 and (view["if"], view["rpp_people"]) == ("both sides meet", "key")
    bad = _call("put", f"{base}/theory", token, {**theory, "rpp_level": "cosmic"})
    assert bad[0] == 400 and bad[1]["detail"].startswith("rpp_level")
    status, view = _call(
        "post",
        f"{base}/indicators",
        token,
        {
            "name": "Trust",
            "baseline": "2.1",
            "target": "3",
            "measure": "outgroup_trust",
            "outcomes": True,
        },
    )
    assert status == 201, view
    [indicator] = view["indicators"]
    assert indicator["measure_name"] and indicator["outcome_count"] == 0
    unknown = _call("post", f"{base}/indicators", token, {"name": "X", "measure": "nonsense"})
    assert unknown[0] == 400 and unknown[1]["detail"].startswith("measure")
    entry = {"value": "2.6", "on": "2026-11-01", "source": "post survey"}
    status, view = _call("post", f"/evaluation/indicators/{indicator['id']}/entries", token, entry)
    assert status == 200 and view["indicators"][0]["entries"] == [entry]

    observer = make_user("observer")
    initiative_actions.add_member(workshop.initiative, observer, "observer", workshop.convener)
    assert _call("get", f"{base}/theory", workshop.token_for(observer))[0] == 403
    assert _call("get", f"{base}/theory", workshop.token_for(make_user("stranger")))[0] == 404


def test_it_exports_the_report_and_puts_its_summary_in_a_brief(workshop: Workshop) -> None:
    _answer(workshop)
    page = Client()
    page.force_login(workshop.convener)
    initiative_page = f"/initiatives/{workshop.initiative.pk}/evaluation"
    posted = page.post(
        initiative_page,
        {
            "action": "theory",
            "if": "they meet",
            "then": "trust grows",
            "because": "contact",
            "rpp_people": "more",
            "rpp_level": "individual",
        },
    )
    assert posted.status_code == 302
    outcome = {
        "action": "outcome",
        "happened_on": "2026-11-02",
        "social_actor": "A water board",
        "change": "Shared its gauge data.",
        "contribution": "Proposed at the workshop.",
        "substantiator": "Its chair",
    }
    assert page.post(initiative_page, outcome).status_code == 302
    wrong = page.post(initiative_page, {**outcome, "statements": "1, x"}, follow=True)
    assert "statements: must be statement numbers" in wrong.content.decode()
    from tracktwo.evaluation.models import Outcome

    assert Outcome.objects.count() == 1  # nothing recorded from the bad form
    html = page.get(initiative_page).content.decode()
    assert "they meet" in html and "A water board" in html and "Its chair" in html

    url = f"/dialogues/{workshop.dialogue.pk}/evaluation/report"
    response = page.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    report = response.content.decode()
    assert "Evaluation report" in report and "they meet" in report and "A water board" in report
    assert "<svg" in report and "CANARY" not in report
    pdf = page.get(f"{url}?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Evaluation report" in text and "A water board" in text and "CANARY" not in text

    brief = transfer.draft_for(workshop.dialogue, None, workshop.convener)
    token = workshop.token_for(workshop.convener)
    status, body = _call(
        "post", f"/dialogues/{workshop.dialogue.pk}/evaluation/brief", token, {"brief": brief.pk}
    )
    assert status == 200 and "What changed" in body["context"] and "CANARY" not in body["context"]
    assert (
        _call(
            "post", f"/dialogues/{workshop.dialogue.pk}/evaluation/brief", token, {"brief": 999999}
        )[0]
        == 400
    )
