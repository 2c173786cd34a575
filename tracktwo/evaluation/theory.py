"""The initiative's theory of change and its indicators (Church & Rogers, *Designing for
Results*; Reflecting on Peace Practice).

The convener (or an initiative-wide facilitator: those who keep the outcome register) writes
the theory as "if ... then ... because ...", places it on the RPP matrix (more people or key
people, individual-personal or socio-political level), and lists indicators, each with a
baseline and a target, tied to a survey measure of the library or to the outcome register,
and monitoring entries (value, date, source). Indicators can be corrected or removed, and a
mistaken entry taken back; a changed baseline or target keeps its earlier value and the day it
changed (``revisions``), which the report shows, so the goalposts never move unseen. All of it
is sealed; each change is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracktwo.accounts.models import User
from tracktwo.evaluation import instruments
from tracktwo.evaluation.models import Indicator, Outcome, TheoryOfChange
from tracktwo.evaluation.outcomes import can_keep_register
from tracktwo.initiatives import permissions
from tracktwo.initiatives.models import Initiative
from tracktwo.practice.errors import InvalidInput, NotFound
from tracktwo.practice.validation import clean_text
from tracktwo.safety.audit import Actor, record
from tracktwo.safety.datakeys import box_for, box_for_sealing

MAX_CHARS = 2000
THEORY_FIELDS = ("if", "then", "because", "rpp_people", "rpp_level")
MAX_ENTRIES = 200
INDICATOR_FIELDS = ("name", "baseline", "target", "measure", "outcomes")
RPP_PEOPLE = {"more": gettext_lazy("more people"), "key": gettext_lazy("key people")}
RPP_LEVEL = {
    "individual": gettext_lazy("individual-personal"),
    "socio-political": gettext_lazy("socio-political"),
}


def require_keeper(user: User | None, initiative: Initiative) -> User:
    permissions.require(can_keep_register(user, initiative), _("write the theory of change"))
    assert user is not None
    return user


def _audit(action: str, user: User, initiative: Initiative, target: str, target_id: int) -> None:
    record(
        f"evaluation.{action}",
        actor=Actor.user(user),
        initiative_id=initiative.pk,
        target_type=target,
        target_id=target_id,
    )


def _choice(value: object, choices: dict[str, Any], field: str) -> str:
    if value in ("", None):
        return ""
    if not isinstance(value, str) or value not in choices:
        raise InvalidInput(_("must be one of %(c)s") % {"c": ", ".join(choices)}, field=field)
    return value


@transaction.atomic
def set_theory(initiative: Initiative, user: User | None, data: dict[str, Any]) -> TheoryOfChange:
    """Write the theory of change: ``if``, ``then``, ``because``, ``rpp_people``, ``rpp_level``."""
    by = require_keeper(user, initiative)
    parts = {
        key: clean_text(data.get(key, ""), key, max_chars=MAX_CHARS, multiline=True)
        for key in ("if", "then", "because")
    }
    theory, _created = TheoryOfChange.objects.get_or_create(initiative=initiative)
    theory.statement.write(box_for_sealing(initiative.pk), parts)
    theory.rpp_people = _choice(data.get("rpp_people"), RPP_PEOPLE, "rpp_people")
    theory.rpp_level = _choice(data.get("rpp_level"), RPP_LEVEL, "rpp_level")
    theory.save()
    _audit("theory_of_change_set", by, initiative, "initiative", initiative.pk)
    return theory


@transaction.atomic
def add_indicator(initiative: Initiative, user: User | None, data: dict[str, Any]) -> Indicator:
    """An indicator: ``name``, ``baseline``, ``target``, ``measure`` (a library measure key,
    optional) and ``outcomes`` (counted from the outcome register)."""
    by = require_keeper(user, initiative)
    indicator = Indicator(initiative=initiative)
    indicator.record.write(
        box_for_sealing(initiative.pk),
        {
            "name": clean_text(data.get("name", ""), "name", max_chars=200),
            "baseline": _short(data.get("baseline", ""), "baseline"),
            "target": _short(data.get("target", ""), "target"),
            "measure": _measure(data.get("measure")),
            "outcomes": _outcomes(data.get("outcomes", False)),
            "entries": [],
            "revisions": [],
        },
    )
    indicator.save()
    _audit("indicator_added", by, initiative, "indicator", indicator.pk)
    return indicator


def _short(value: object, field: str) -> str:
    return clean_text(value if value is not None else "", field, max_chars=200, required=False)


def _measure(value: object) -> str:
    measure = value or ""
    if not isinstance(measure, str) or (measure and measure not in instruments.MEASURE_BY_KEY):
        raise InvalidInput(_("not a measure of the instrument library"), field="measure")
    return measure


def _outcomes(value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_("must be true or false"), field="outcomes")
    return value


@transaction.atomic
def edit_indicator(indicator: Indicator, user: User | None, data: dict[str, Any]) -> Indicator:
    """Correct the keys given of ``name``, ``baseline``, ``target``, ``measure`` and
    ``outcomes``; the monitoring entries stay. A baseline or target that changes keeps its
    earlier value with the day of the change in ``revisions``."""
    initiative = indicator.initiative
    by = require_keeper(user, initiative)
    box = box_for_sealing(initiative.pk)
    content = indicator.record.read(box)
    new = dict(content)
    if "name" in data:
        new["name"] = clean_text(data["name"], "name", max_chars=200)
    for key in ("baseline", "target"):
        if key in data:
            new[key] = _short(data[key], key)
    if "measure" in data:
        new["measure"] = _measure(data["measure"])
    if "outcomes" in data:
        new["outcomes"] = _outcomes(data["outcomes"])
    if all(new[key] == content[key] for key in INDICATOR_FIELDS):
        return indicator
    moved = {key: content[key] for key in ("baseline", "target") if new[key] != content[key]}
    if moved:
        revisions = list(content.get("revisions", []))
        if len(revisions) >= MAX_ENTRIES:
            raise InvalidInput(_("too many revisions"), field="revisions")
        revisions.append({"on": timezone.localdate().isoformat(), **moved})
        new["revisions"] = revisions
    indicator.record.write(box, new)
    indicator.save(update_fields=["record_sealed"])
    _audit("indicator_edited", by, initiative, "indicator", indicator.pk)
    return indicator


@transaction.atomic
def remove_indicator(indicator: Indicator, user: User | None) -> None:
    """Remove an indicator added by mistake, with its monitoring entries (audited)."""
    initiative = indicator.initiative
    by = require_keeper(user, initiative)
    _audit("indicator_removed", by, initiative, "indicator", indicator.pk)
    indicator.delete()


@transaction.atomic
def remove_entry(indicator: Indicator, user: User | None, position: int) -> Indicator:
    """Take back the monitoring entry at ``position`` (1 = the earliest, as listed)."""
    initiative = indicator.initiative
    by = require_keeper(user, initiative)
    box = box_for_sealing(initiative.pk)
    content = indicator.record.read(box)
    if not 1 <= position <= len(content["entries"]):
        raise NotFound(_("no such monitoring entry"))
    del content["entries"][position - 1]
    indicator.record.write(box, content)
    indicator.save(update_fields=["record_sealed"])
    _audit("indicator_entry_removed", by, initiative, "indicator", indicator.pk)
    return indicator


@transaction.atomic
def add_entry(indicator: Indicator, user: User | None, data: dict[str, Any]) -> Indicator:
    """A monitoring entry of an indicator: ``value``, ``on`` (a date), ``source``."""
    initiative = indicator.initiative
    by = require_keeper(user, initiative)
    on = data.get("on")
    if not isinstance(on, dt.date):
        try:
            on = dt.date.fromisoformat(str(on))
        except ValueError:
            raise InvalidInput(_("must be a day (YYYY-MM-DD)"), field="on") from None
    box = box_for_sealing(initiative.pk)
    content = indicator.record.read(box)
    if len(content["entries"]) >= MAX_ENTRIES:
        raise InvalidInput(_("too many entries"), field="entries")
    content["entries"].append(
        {
            "value": clean_text(data.get("value", ""), "value", max_chars=200),
            "on": on.isoformat(),
            "source": clean_text(
                data.get("source", ""), "source", max_chars=MAX_CHARS, required=False
            ),
        }
    )
    content["entries"].sort(key=lambda e: e["on"])
    indicator.record.write(box, content)
    indicator.save(update_fields=["record_sealed"])
    _audit("indicator_entry_added", by, initiative, "indicator", indicator.pk)
    return indicator


def indicator_of(initiative_id: int | None, indicator_id: int) -> Indicator:
    found = Indicator.objects.select_related("initiative").filter(pk=indicator_id).first()
    if found is None or (initiative_id is not None and found.initiative_id != initiative_id):
        raise NotFound(_("no such indicator"))
    return found


def theory_view(initiative: Initiative) -> dict[str, Any]:
    """The theory, its RPP placement and the indicators (with the outcome count where tied)."""
    box = box_for(initiative.pk)
    theory = TheoryOfChange.objects.filter(initiative=initiative).first()
    parts = theory.statement.read(box) if theory and theory.statement.is_set else {}
    outcomes = Outcome.objects.filter(initiative=initiative).count()
    indicators = []
    for indicator in Indicator.objects.filter(initiative=initiative):
        content = indicator.record.read(box)
        measure = instruments.MEASURE_BY_KEY.get(content["measure"])
        indicators.append(
            {
                "id": indicator.pk,
                **content,
                "revisions": content.get("revisions", []),
                "measure_name": str(measure.name) if measure else "",
                "outcome_count": outcomes if content["outcomes"] else None,
            }
        )
    return {
        "if": parts.get("if", ""),
        "then": parts.get("then", ""),
        "because": parts.get("because", ""),
        "rpp_people": theory.rpp_people if theory else "",
        "rpp_level": theory.rpp_level if theory else "",
        "indicators": indicators,
    }
