"""What changes a survey of change: composing it, opening its waves, answering it.

Each action is one transaction and checks the caller's permission itself: facilitators
and conveners of the dialogue compose the survey and open waves (audited); a participant
of the dialogue answers the open waves, for themselves only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts.models import User
from tracktwo.analysis.evaluation import WAVES
from tracktwo.consent.gates import require_assessment
from tracktwo.consent.models import Tool
from tracktwo.dialogues.models import Dialogue, Participant, Profile
from tracktwo.evaluation import instruments
from tracktwo.evaluation.models import Response, Survey
from tracktwo.initiatives import permissions
from tracktwo.practice.errors import Conflict, InvalidInput, NotAllowed
from tracktwo.practice.formats import ParticipantRole
from tracktwo.practice.validation import clean_choice, clean_int, clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for_sealing
from tracktwo.safety.sealed import Box

FOLLOW_UP_DAYS = 30
MAX_CUSTOM_ITEMS = 10
MAX_ITEM_CHARS = 300
RESPONDENT_PURPOSE = "evaluation.respondent"


def respondent_key(box: Box, survey: Survey, participant: Participant) -> str:
    """The opaque key that links one participant's answers across waves of one survey."""
    return box.digest(RESPONDENT_PURPOSE, f"{survey.pk}:{participant.public_id}")


def _clean_custom(custom: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = list(custom)
    if len(rows) > MAX_CUSTOM_ITEMS:
        raise InvalidInput(_("at most %(n)d own items") % {"n": MAX_CUSTOM_ITEMS}, field="custom")
    cleaned = []
    for i, row in enumerate(rows, start=1):
        field = f"custom[{i - 1}]"
        text = clean_text(row.get("text"), f"{field}.text", max_chars=MAX_ITEM_CHARS)
        low = clean_int(row.get("low", 1), f"{field}.low", minimum=0, maximum=99)
        high = clean_int(row.get("high", 7), f"{field}.high", minimum=1, maximum=100)
        if high <= low:
            raise InvalidInput(_("must be above the lowest value"), field=f"{field}.high")
        cleaned.append(
            {"key": f"{instruments.CUSTOM_PREFIX}{i}", "text": text, "low": low, "high": high}
        )
    return cleaned


def _clean_items(items: Iterable[str]) -> list[str]:
    chosen: list[str] = []
    for key in items:
        clean_choice(key, "items", instruments.ITEMS)
        if key not in chosen:
            chosen.append(key)
    return chosen


@transaction.atomic
def compose_survey(
    user: User,
    dialogue: Dialogue,
    *,
    items: Iterable[str],
    custom: Iterable[Mapping[str, Any]] = (),
) -> Survey:
    """Set the survey's items (library keys, in order) and the convener's own items.

    Answers already given stay; an item taken out is no longer asked or reported.
    """
    permissions.require(permissions.can_facilitate(user, dialogue), _("compose the survey"))
    chosen = _clean_items(items)
    own = _clean_custom(custom)
    if not chosen and not own:
        raise InvalidInput(_("choose at least one item"), field="items")
    survey, created = Survey.objects.select_for_update().get_or_create(dialogue=dialogue)
    box = box_for_sealing(dialogue.initiative_id)
    before = survey.custom.read(box) if survey.custom_sealed else []
    if before != own and survey.responses.exists():
        # answers are keyed custom_1, custom_2...: a changed question would take others' answers
        raise Conflict(_("own questions cannot change once answers have come in"), field="custom")
    survey.items = chosen
    survey.custom.write(box, own)
    survey.save()
    record(
        "evaluation.survey_composed",
        actor=Actor.user(user),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"items": len(chosen), "own_items": len(own), "created": created},
    )
    return survey


@transaction.atomic
def set_waves(
    user: User,
    dialogue: Dialogue,
    *,
    open_waves: Iterable[str],
    follow_up_on: dt.date | None = None,
) -> Survey:
    """Open and close waves; the follow-up opens by itself on ``follow_up_on``.

    When the post wave opens and no follow-up date is set, it is set 30 days later.
    """
    permissions.require(permissions.can_facilitate(user, dialogue), _("open survey waves"))
    require_assessment(dialogue, Tool.EVALUATION)
    survey = Survey.objects.select_for_update().filter(dialogue=dialogue).first()
    if survey is None:
        raise Conflict(_("compose the survey first"))
    waves = [w for w in WAVES if w in {clean_choice(v, "open", WAVES) for v in open_waves}]
    if follow_up_on is None and "post" in waves and survey.follow_up_on is None:
        follow_up_on = timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS)
    survey.open_waves = waves
    if follow_up_on is not None:
        survey.follow_up_on = follow_up_on
    survey.save(update_fields=["open_waves", "follow_up_on"])
    record(
        "evaluation.waves_set",
        actor=Actor.user(user),
        initiative_id=dialogue.initiative_id,
        target_type="dialogue",
        target_id=dialogue.pk,
        details={"pre": "pre" in waves, "post": "post" in waves, "follow_up": "follow-up" in waves},
    )
    return survey


def wave_is_open(survey: Survey, wave: str, today: dt.date | None = None) -> bool:
    """Participants may answer ``wave`` now (opened, or the follow-up date reached)."""
    if wave in survey.open_waves:
        return True
    today = today or timezone.localdate()
    return wave == "follow-up" and survey.follow_up_on is not None and survey.follow_up_on <= today


def scales(survey: Survey, box: Box) -> dict[str, instruments.Item]:
    """The survey's items by key, the convener's own included (texts opened with ``box``)."""
    found = {key: instruments.ITEMS[key] for key in survey.items if key in instruments.ITEMS}
    for row in survey.custom.read(box) if survey.custom_sealed else []:
        found[row["key"]] = instruments.custom_item(
            row["key"], row["text"], row["low"], row["high"]
        )
    return found


def _clean_answers(
    answers: Mapping[str, Any], asked: Mapping[str, instruments.Item]
) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for key, value in answers.items():
        if key not in asked:
            raise InvalidInput(_("not an item of this survey"), field=f"answers.{key}"[:60])
        if value is None or value == "":
            continue  # skipped
        item = asked[key]
        number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
        cleaned[key] = clean_int(number, f"answers.{key}", minimum=item.low, maximum=item.high)
    return cleaned


@transaction.atomic
def answer(participant: Participant, wave: str, answers: Mapping[str, Any]) -> Response:
    """Record (or replace) the participant's answers in an open wave; any item may be skipped."""
    dialogue = participant.dialogue
    permissions.require(permissions.participant_may_act(participant, dialogue), _("answer"))
    if participant.role != ParticipantRole.PARTICIPANT:
        raise NotAllowed(_("observers do not answer the survey"))
    clean_choice(wave, "wave", WAVES)
    survey = Survey.objects.filter(dialogue=dialogue).first()
    if survey is None:
        raise Conflict(_("this dialogue has no survey"))
    require_assessment(dialogue, Tool.EVALUATION)
    if not wave_is_open(survey, wave):
        raise Conflict(_("this survey wave is not open"), field="wave")
    box = box_for_sealing(dialogue.initiative_id)
    asked = {k: i for k, i in scales(survey, box).items() if wave in asked_in(i)}
    cleaned = _clean_answers(answers, asked)
    side = Profile.from_json(participant.profile.read(box)).party_id
    response, _created = Response.objects.select_for_update().get_or_create(
        survey=survey, wave=wave, respondent=respondent_key(box, survey, participant)
    )
    response.record.write(box, {"side": side, "answers": cleaned})
    response.save()
    return response


def asked_in(item: instruments.Item) -> tuple[str, ...]:
    """The waves an item is asked in (a measure's own waves; the convener's own: every wave)."""
    measure = instruments.MEASURE_BY_KEY.get(item.measure)
    return measure.waves if measure is not None else WAVES
