"""The instrument library: measures of attitudes toward the other side, each with its source.

A survey is composed of items from here (by key) and of the convener's own items. Every
item has a scale (whole numbers ``low..high`` with labels for both ends); a reverse-keyed
item is flipped (``low + high - value``) before it is averaged into its measure's score,
so that a higher score always means more of what the measure is named after.

The sources are those of the practice notes (``track-two-practice.md``, R43-R44): the
contact-hypothesis measures as collected by Lolliot et al., *Measures of Intergroup
Contact* (2015) [S25]; Maoz (2003) on prior stance [S23]; the spill-over questions of
Guffler (2016) [S26] and USIP's *What Works?* (2017) [S22]. Item wordings are short
adaptations for a phone, not the validated originals: docs/evaluation.md says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STANCE_MEASURE = "prior_stance"


@dataclass(frozen=True)
class Item:
    """One question: its key, the measure it belongs to, its text and its scale."""

    key: str
    measure: str
    text: str | Promise
    low: int
    high: int
    low_label: str | Promise
    high_label: str | Promise
    reverse: bool = False

    def score(self, value: int) -> float:
        """The value as it counts toward the measure (flipped if reverse-keyed)."""
        return float(self.low + self.high - value if self.reverse else value)


@dataclass(frozen=True)
class Measure:
    """A measure: a name, what it captures, its source, and its items."""

    key: str
    name: str | Promise
    source: str
    items: tuple[Item, ...]
    waves: tuple[str, ...] = ("pre", "post", "follow-up")


AGREE = (_("strongly disagree"), _("strongly agree"))


def _agree(key: str, measure: str, text: str | Promise, *, reverse: bool = False) -> Item:
    return Item(key, measure, text, 1, 7, AGREE[0], AGREE[1], reverse)


def _feeling(key: str, text: str | Promise, *, reverse: bool = False) -> Item:
    return Item(key, "intergroup_anxiety", text, 1, 7, _("not at all"), _("extremely"), reverse)


MEASURES: tuple[Measure, ...] = (
    Measure(
        "thermometer",
        _("Feeling thermometer"),
        "Feeling thermometer (American National Election Studies), as used in contact "
        "research (Lolliot et al. 2015)",
        (
            Item(
                "thermometer",
                "thermometer",
                _("How warm or cold do you feel toward people of the other side?"),
                0,
                100,
                _("very cold"),
                _("very warm"),
            ),
        ),
    ),
    Measure(
        "intergroup_anxiety",
        _("Intergroup anxiety (short form)"),
        "Stephan & Stephan (1985), short form as in Lolliot et al. (2015); higher = more anxious",
        (
            _feeling(
                "anxiety_anxious", _("Meeting people of the other side, I would feel anxious.")
            ),
            _feeling(
                "anxiety_awkward", _("Meeting people of the other side, I would feel awkward.")
            ),
            _feeling(
                "anxiety_at_ease",
                _("Meeting people of the other side, I would feel at ease."),
                reverse=True,
            ),
        ),
    ),
    Measure(
        "outgroup_trust",
        _("Outgroup trust"),
        "Outgroup trust, after Tam et al. (2009) as collected in Lolliot et al. (2015)",
        (
            _agree("trust_word", "outgroup_trust", _("People of the other side keep their word.")),
            _agree(
                "trust_intentions",
                "outgroup_trust",
                _("I can trust the intentions of people of the other side."),
            ),
        ),
    ),
    Measure(
        "perspective_taking",
        _("Perspective taking"),
        "Perspective taking toward the outgroup, adapted from Davis (1983) as in "
        "Lolliot et al. (2015)",
        (
            _agree(
                "perspective_understand",
                "perspective_taking",
                _("I try to understand how people of the other side see the conflict."),
            ),
            _agree(
                "perspective_imagine",
                "perspective_taking",
                _("I can imagine how I would feel in their place."),
            ),
        ),
    ),
    Measure(
        "cooperation",
        _("Willingness to cooperate"),
        "Willingness to cooperate with the other side (Church & Rogers 2006; USIP 2017)",
        (
            _agree(
                "cooperate_common_problem",
                "cooperation",
                _("I would work with people of the other side on a common problem."),
            ),
        ),
    ),
    Measure(
        "contact_quantity",
        _("Contact quantity"),
        "Contact quantity (Islam & Hewstone 1993, in Lolliot et al. 2015)",
        (
            Item(
                "contact_often",
                "contact_quantity",
                _("How often do you talk with people of the other side?"),
                1,
                5,
                _("never"),
                _("very often"),
            ),
        ),
    ),
    Measure(
        "contact_quality",
        _("Contact quality"),
        "Contact quality (Islam & Hewstone 1993, in Lolliot et al. 2015)",
        (
            Item(
                "contact_pleasant",
                "contact_quality",
                _("When you meet people of the other side, how pleasant is it?"),
                1,
                7,
                _("very unpleasant"),
                _("very pleasant"),
            ),
        ),
    ),
    Measure(
        "spillover",
        _("Spill-over"),
        "Spill-over beyond the room: sharing and using what was learned (Guffler 2016; USIP 2017)",
        (
            Item(
                "spillover_shared",
                "spillover",
                _("How often have you shared what you heard here with others on your side?"),
                1,
                5,
                _("never"),
                _("very often"),
            ),
            Item(
                "spillover_skills",
                "spillover",
                _("How often have you used skills from this dialogue elsewhere?"),
                1,
                5,
                _("never"),
                _("very often"),
            ),
        ),
        waves=("post", "follow-up"),
    ),
    Measure(
        STANCE_MEASURE,
        _("Prior stance (hawk-dove)"),
        "Self-placement on the conflict, hawks to doves (Maoz 2003)",
        (
            Item(
                "stance",
                STANCE_MEASURE,
                _("Where do you stand on the conflict?"),
                1,
                7,
                _("compromise is needed (dove)"),
                _("hold firm (hawk)"),
            ),
        ),
        waves=("pre",),
    ),
)

MEASURE_BY_KEY = {m.key: m for m in MEASURES}
ITEMS = {item.key: item for m in MEASURES for item in m.items}
CUSTOM_PREFIX = "custom_"


def custom_item(key: str, text: str, low: int, high: int) -> Item:
    """A convener's own item: a measure of its own, named by its text."""
    return Item(key, key, text, low, high, str(low), str(high))
