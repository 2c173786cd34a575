"""Reading surveys of change and their results (never writes).

Results leave the room for funders, so every audience gets the same suppressed cut: per
measure and comparison, the paired counts of the sides (and their total) go through the
site's small-cell suppression (:mod:`tracktwo.insight.suppression`) with the dialogue's
``small_cell_threshold``; a side whose count is withheld is withheld whole (its change,
interval and effect size too), and so is the total when it would give a side away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import numpy as np

from tracktwo.analysis.evaluation import (
    ALL_SIDES,
    WAVES,
    ChangeRow,
    EvaluationResult,
    analyze_change,
    stance_group,
)
from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.dialogues.queries import reading
from tracktwo.evaluation import instruments
from tracktwo.evaluation.actions import asked_in, respondent_key, scales, wave_is_open
from tracktwo.evaluation.models import Response, Survey
from tracktwo.insight.suppression import protect_sizes
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box


def survey_of(dialogue: Dialogue) -> Survey | None:
    return Survey.objects.filter(dialogue=dialogue).first()


def item_out(item: instruments.Item) -> dict[str, Any]:
    return {
        "key": item.key,
        "measure": item.measure,
        "text": str(item.text),
        "low": item.low,
        "high": item.high,
        "low_label": str(item.low_label),
        "high_label": str(item.high_label),
        "reverse": item.reverse,
        "waves": list(asked_in(item)),
    }


def library() -> list[dict[str, Any]]:
    """The instrument library: every measure with its source, scale and items."""
    return [
        {
            "key": m.key,
            "name": str(m.name),
            "source": m.source,
            "waves": list(m.waves),
            "items": [item_out(i) for i in m.items],
        }
        for m in instruments.MEASURES
    ]


def survey_out(survey: Survey, box: Box | None = None) -> dict[str, Any]:
    box = box or box_for(survey.dialogue.initiative_id)
    items = scales(survey, box)
    return {
        "dialogue": survey.dialogue_id,
        "items": [item_out(i) for i in items.values()],
        "open_waves": [w for w in WAVES if wave_is_open(survey, w)],
        "follow_up_on": survey.follow_up_on.isoformat() if survey.follow_up_on else None,
    }


def questions(survey: Survey, wave: str, box: Box) -> list[instruments.Item]:
    """The items asked in ``wave``, in the survey's order."""
    return [i for i in scales(survey, box).values() if wave in asked_in(i)]


def own_answers(survey: Survey, participant: Participant, wave: str, box: Box) -> dict[str, int]:
    """The participant's own answers in a wave (for them alone), empty if none."""
    response = Response.objects.filter(
        survey=survey, wave=wave, respondent=respondent_key(box, survey, participant)
    ).first()
    return dict(response.record.read(box)["answers"]) if response else {}


def answered_waves(survey: Survey, participant: Participant, box: Box) -> list[str]:
    key = respondent_key(box, survey, participant)
    return list(
        Response.objects.filter(survey=survey, respondent=key).values_list("wave", flat=True)
    )


def long_answers(
    survey: Survey, box: Box, sides: dict[int, str]
) -> tuple[list[str], list[str], list[str], list[str], list[float], dict[str, str]]:
    """Every answer as ``(respondent, side, wave, measure, score)``, and prior stances."""
    items = scales(survey, box)
    r: list[str] = []
    s: list[str] = []
    w: list[str] = []
    m: list[str] = []
    v: list[float] = []
    stance: dict[str, str] = {}
    for response in Response.objects.filter(survey=survey).order_by("respondent", "wave"):
        record = response.record.read(box)
        side = sides.get(int(record["side"]), "")
        for key, value in record["answers"].items():
            item = items.get(key)
            if item is None:
                continue
            if item.measure == instruments.STANCE_MEASURE:
                stance[response.respondent] = stance_group(float(value))
                continue
            r.append(response.respondent)
            s.append(side)
            w.append(response.wave)
            m.append(item.measure)
            v.append(item.score(int(value)))
    return r, s, w, m, v, stance


def _suppress_rows(rows: Iterable[ChangeRow], threshold: int) -> list[dict[str, Any]]:
    """Per measure and comparison: the sides' paired counts through the site's suppression."""
    rows = list(rows)
    out: list[dict[str, Any]] = []
    keys = sorted({(r.measure, r.comparison) for r in rows})
    for measure, comparison in keys:
        group = [r for r in rows if (r.measure, r.comparison) == (measure, comparison)]
        total = next((r for r in group if r.side == ALL_SIDES), None)
        sides = [r for r in group if r.side != ALL_SIDES]
        shown, total_shown = protect_sizes(
            {r.side: r.n_paired or 0 for r in sides},
            total.n_paired or 0 if total else 0,
            threshold,
        )
        for row in [*sides, *([total] if total else [])]:
            visible = total_shown if row.side == ALL_SIDES else shown[row.side]
            data = asdict(row)
            if visible is None or row.withheld:
                data.update(n_paired=None, mean_change=None, ci_low=None, ci_high=None, d_z=None)
                data["withheld"] = True
            out.append(data)
    return out


def _attrition(result: EvaluationResult, threshold: int) -> list[dict[str, Any]]:
    out = []
    for wave in WAVES:
        counts = [c for c in result.attrition if c.wave == wave]
        total = next((c for c in counts if c.side == ALL_SIDES), None)
        per_side = {c.side: c.respondents for c in counts if c.side != ALL_SIDES}
        shown, total_shown = protect_sizes(per_side, total.respondents if total else 0, threshold)
        kept, kept_total = protect_sizes(
            {c.side: c.retained for c in counts if c.side != ALL_SIDES},
            total.retained if total else 0,
            threshold,
        )
        for side in [*per_side, ALL_SIDES]:
            out.append(
                {
                    "side": side,
                    "wave": wave,
                    "respondents": total_shown if side == ALL_SIDES else shown[side],
                    "retained_from_pre": kept_total if side == ALL_SIDES else kept[side],
                }
            )
    return out


def results(dialogue: Dialogue) -> dict[str, Any]:
    """Paired change per measure and side, by prior stance, attrition: suppressed."""
    survey = survey_of(dialogue)
    threshold = int(dialogue.small_cell_threshold)
    empty = {"results": [], "by_stance": [], "attrition": [], "min_cell": threshold}
    if survey is None:
        return {**empty, "survey": False, "level": 0.95}
    box = box_for(dialogue.initiative_id)
    r, s, w, m, v, stance = long_answers(
        survey, box, reading.party_names(dialogue.initiative_id, box)
    )
    result = analyze_change(
        r, s, w, m, np.asarray(v, dtype=np.float64), stance=stance, min_cell=threshold
    )
    measures = {key: str(measure.name) for key, measure in instruments.MEASURE_BY_KEY.items()}
    measures.update(
        {
            i.key: str(i.text)
            for i in scales(survey, box).values()
            if i.key.startswith(instruments.CUSTOM_PREFIX)
        }
    )
    rows = _suppress_rows(result.rows, threshold)
    stances = _suppress_rows([*result.by_stance, *_stance_totals(result)], threshold)
    for row in [*rows, *stances]:
        row["measure_name"] = measures.get(row["measure"], row["measure"])
    return {
        "survey": True,
        "min_cell": threshold,
        "level": result.level,
        "measures": measures,
        "results": rows,
        "by_stance": stances,
        "attrition": _attrition(result, threshold),
    }


def _stance_totals(result: EvaluationResult) -> list[ChangeRow]:
    """The stance table's total: everyone's row (the same as the sides' total)."""
    if not result.by_stance:
        return []
    return [row for row in result.rows if row.side == ALL_SIDES]
