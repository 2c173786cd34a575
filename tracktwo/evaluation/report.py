"""The evaluation report a convener gives a funder: HTML and PDF, non-attributable.

It gathers what the site already shows with its suppression: the paired change per
measure and side (with the figure), change by prior stance, respondents per wave, the
re-votes on tracking statements, and for those who keep the outcome register the theory of
change with its indicators and the harvested outcomes. Nothing in it names a participant.
The HTML is one self-contained file (inline style, the figure as inline SVG); the PDF is
rendered from it with WeasyPrint, fetching nothing (as briefs are).

:func:`brief_section` is the short text a facilitator may add to a draft brief's context.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.dialogues.models import Dialogue
from tracktwo.dialogues.queries import reading
from tracktwo.evaluation import figure, queries, theory, tracking
from tracktwo.evaluation.outcomes import can_keep_register, register
from tracktwo.practice.errors import InvalidInput
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for
from tracktwo.transfer.actions import narrative_of, update_narrative
from tracktwo.transfer.models import Brief
from tracktwo.transfer.render import stylesheet


def context(dialogue: Dialogue, user: User | None) -> dict[str, Any]:
    """Everything the report shows to this reader."""
    results = queries.results(dialogue)
    measures = results.get("measures", {})
    keeper = can_keep_register(user, dialogue.initiative)
    return {
        "title": dialogue.title.read(box_for(dialogue.initiative_id)),
        "dialogue": reading.dialogue_view(dialogue),
        "report": results,
        "figure": figure.change_figure(results["results"], measures),
        "tracking": tracking.results(dialogue),
        "theory": theory.theory_view(dialogue.initiative) if keeper else None,
        "outcomes": register(user, dialogue.initiative) if keeper and user else [],
        "rpp_people": theory.RPP_PEOPLE,
        "rpp_level": theory.RPP_LEVEL,
        "made_on": timezone.localdate(),
        "stylesheet": stylesheet(),
    }


def html(dialogue: Dialogue, user: User | None) -> str:
    return render_to_string("evaluation/report.html", context(dialogue, user))


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class Nothing(URLFetcher):  # type: ignore[misc]
        """The report has no external resource: every fetch is refused."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError("the evaluation report fetches no resources")

    return Nothing()


def pdf(document: str) -> bytes:
    """The report's HTML as a PDF (A4, page numbers, no metadata naming anyone)."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    page = (
        "@page { size: A4; margin: 20mm;"
        ' @bottom-right { content: counter(page) " / " counter(pages);'
        ' font-family: "DejaVu Sans"; font-size: 8pt; } }'
    )
    rendered = HTML(string=document, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=page, url_fetcher=fetcher)]
    )
    rendered.metadata.title = "Evaluation report"
    rendered.metadata.authors = []
    rendered.metadata.generator = ""
    return bytes(rendered.write_pdf())


def brief_section(dialogue: Dialogue) -> str:
    """A short, non-attributable summary of the change for a brief's context."""
    results = queries.results(dialogue)
    measures = results.get("measures", {})
    lines = [_("What changed (survey before and after, paired respondents):")]
    for row in results["results"]:
        if row["withheld"] or row["comparison"] != "post-pre" or row["side"] != "all":
            continue
        lines.append(
            _(
                "%(measure)s: mean change %(mean).2f (95%% interval %(low).2f to %(high).2f, %(n)d people)"
            )
            % {
                "measure": measures.get(row["measure"], row["measure"]),
                "mean": row["mean_change"],
                "low": row["ci_low"],
                "high": row["ci_high"],
                "n": row["n_paired"],
            }
        )
    if len(lines) == 1:
        lines.append(_("No result can be shown yet (too few paired answers)."))
    return "\n".join(lines)


@transaction.atomic
def include_in_brief(dialogue: Dialogue, user: User, brief: Brief) -> Brief:
    """Add the evaluation summary to a draft brief of the same dialogue (its context; the
    facilitators may edit it there like any text; audited)."""
    if brief.dialogue_id != dialogue.pk:
        raise InvalidInput(_("no draft brief of this dialogue with that id"), field="brief")
    context = narrative_of(brief, dialogue).get("context", "")
    joined = "\n\n".join(part for part in (context, brief_section(dialogue)) if part)
    updated = update_narrative(brief, user, context=joined)
    record(
        "evaluation.included_in_brief",
        actor=Actor.user(user),
        initiative_id=dialogue.initiative_id,
        target_type="brief",
        target_id=brief.pk,
    )
    return updated
