"""The brief's own sentences (key points, notes, method), in the active language.

:mod:`tracktwo.transfer.render` builds the document from them; each is a catalogue string
with named placeholders, so a brief issued in Arabic or Hebrew reads in that language.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracktwo.transfer.cells import SUPPRESSED
from tracktwo.transfer.content import BriefContent
from tracktwo.transfer.findings import Finding, GroupStatement, coverage_note


def pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def withheld_note(items: tuple[Finding, ...], kind: str, c: BriefContent) -> str:
    """The note under a table with a withheld side: "–" or a coarse band (see
    ``insight.suppression.coarse_band``), and for common ground or shared rejection why the
    statement is listed all the same."""
    if not any(side.withheld for item in items for side in item.sides):
        return ""
    bands = _(
        "“–”, or a band such as “at least 4 in 5 agree”: fewer than %(t)d on that side voted "
        "one way or another, so its counts are not shown; a band is given only where it "
        "cannot reveal anyone's vote."
    ) % {"t": c.threshold}
    if kind == "D":
        return bands
    what = _("agreeing") if kind == "C" else _("disagreeing")
    return (
        bands
        + " "
        + _(
            "†: the statement is listed because that side's %(level)d%% interval on the share "
            "%(what)s lies at or above %(threshold)d%%."
        )
        % {
            "level": round(c.findings.level * 100),
            "what": what,
            "threshold": round(c.findings.threshold * 100),
        }
    )


def key_points(c: BriefContent) -> list[str]:
    """The summary's points; a count is stated only for statements the brief then backs
    with a figure or a band on every side (never "3 statements divide" with nothing shown)."""
    f = c.findings
    sides = ", ".join(f.sides) if f.sides else ""
    common, rejected, divides = (
        _backed(f.common_ground),
        _backed(f.shared_rejection),
        _backed(f.divides),
    )
    points = []
    if common:
        n = len(common)
        points.append(
            ngettext(
                "%(n)s statement found support on every side (%(sides)s); strongest: “%(text)s”",
                "%(n)s statements found support on every side (%(sides)s); strongest: “%(text)s”",
                n,
            )
            % {"n": n, "sides": sides, "text": common[0].text}
        )
    else:
        points.append(_("No statement found clear support on every side."))
    if rejected:
        n = len(rejected)
        points.append(
            ngettext(
                "%(n)s statement was rejected on every side.",
                "%(n)s statements were rejected on every side.",
                n,
            )
            % {"n": n}
        )
    if divides:
        n = len(divides)
        points.append(
            ngettext(
                "%(n)s statement divides the sides; widest gap: “%(text)s”",
                "%(n)s statements divide the sides; widest gap: “%(text)s”",
                n,
            )
            % {"n": n, "text": divides[0].text}
        )
    if c.narrative.get("proposals"):
        points.append(_("The facilitators' proposals and next steps are set out below."))
    return points


def _backed(items: tuple[Finding, ...]) -> list[Finding]:
    return [item for item in items if all(side.backed for side in item.sides)]


def method(c: BriefContent) -> list[str]:
    f = c.findings
    level = round(f.level * 100)
    if c.total_participants != SUPPRESSED:
        who = _("%(n)s participants") % {"n": c.total_participants}
    elif c.n_participants < c.threshold:
        who = _("fewer than %(k)s participants") % {"k": c.threshold}
    else:
        who = _("participants (number withheld to protect small counts)")
    values = {
        "who": who,
        "sides": len(c.participants.column_labels) - 1,
        "votes": f.n_votes,
        "statements": f.n_statements,
        "level": level,
        "floor": round(f.threshold * 100),
        "min": f.min_votes,
        "k": c.threshold,
    }
    lines = [
        _(
            "Who took part: %(who)s from %(sides)s declared sides; %(votes)s votes counted on "
            "%(statements)s statements. Shares are computed within each side, so a larger side "
            "does not outweigh a smaller one."
        )
        % values,
        coverage_note(f),
        _(
            "Common ground means that on every side the lower end of the %(level)s%% interval "
            "(Wilson) of the share agreeing is at least %(floor)s%%, and that each side cast at "
            "least %(min)s votes on the statement; shared rejection is the same for disagreeing. "
            "A divide means the most and least supportive sides' intervals do not overlap. "
            "Passes count as votes, so silence lowers a share."
        )
        % values,
        _(
            "Opinion groups are found from votes alone (as in Pol.is), not from sides. Groups "
            "smaller than %(k)s, and counts below %(k)s, are not reported."
        )
        % values,
    ]
    if f.small_groups:
        lines.append(
            ngettext(
                "%(n)s opinion group too small to report is left out.",
                "%(n)s opinion groups too small to report are left out.",
                f.small_groups,
            )
            % {"n": f.small_groups}
        )
    lines.extend(c.delegation)
    lines.extend(f.notes)
    return lines


def group_note(s: GroupStatement) -> str:
    if s.share is None:
        if s.direction == "agree":
            return _("(the group agrees more than the others do)")
        return _("(the group disagrees more than the others do)")
    if s.direction == "agree":
        return _("(%(share)s of the group agree; more than elsewhere)") % {"share": pct(s.share)}
    return _("(%(share)s of the group disagree; more than elsewhere)") % {"share": pct(s.share)}
