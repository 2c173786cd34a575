"""Dialogue formats, confidentiality regimes, the nine tracks and roles, in Track Two terms.

Each format is a template: an agenda of phases a facilitator advances through in a
session, and the default ground rules participants accept. Every string a participant
or facilitator reads is marked for translation; stored values are the stable slugs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DialogueFormat(models.TextChoices):
    PROBLEM_SOLVING_WORKSHOP = "problem-solving-workshop", _("Interactive problem-solving workshop")
    SUSTAINED_DIALOGUE = "sustained-dialogue", _("Sustained dialogue series")
    CITIZEN_EXCHANGE = "citizen-exchange", _("Citizen exchange")
    TRACK_ONE_AND_A_HALF = "track-one-and-a-half", _("Track 1.5 closed-door meeting")
    LIVING_ROOM = "living-room", _("Living-room dialogue")


class Confidentiality(models.TextChoices):
    CHATHAM_HOUSE = "chatham-house", _("Chatham House Rule")
    OFF_THE_RECORD = "off-the-record", _("Off the record")
    SECRET = "secret", _("Secret meeting")


class Track(models.IntegerChoices):
    """The nine tracks of multi-track diplomacy (Diamond & McDonald)."""

    GOVERNMENT = 1, _("Government")
    PROFESSIONAL = 2, _("Non-government / professional")
    BUSINESS = 3, _("Business")
    PRIVATE_CITIZEN = 4, _("Private citizen")
    RESEARCH_TRAINING_EDUCATION = 5, _("Research, training and education")
    ACTIVISM = 6, _("Activism")
    RELIGION = 7, _("Religion")
    FUNDING = 8, _("Funding")
    COMMUNICATIONS_MEDIA = 9, _("Communications and media")


class Gender(models.TextChoices):
    """A participant's gender, for the delegation balance only: a fixed list, so a typo
    cannot split the counts. Another gender is counted as "self-described"; the words a
    person might use for it are not kept."""

    WOMAN = "female", _("Woman")
    MAN = "male", _("Man")
    NON_BINARY = "non-binary", _("Non-binary")
    SELF_DESCRIBED = "self-described", _("Another gender (self-described)")
    UNSAID = "prefer-not-to-say", _("Prefer not to say")


class MemberRole(models.TextChoices):
    """Roles of people with accounts. Conveners are initiative-wide."""

    CONVENER = "convener", _("Convener")
    FACILITATOR = "facilitator", _("Facilitator")
    OBSERVER = "observer", _("Observer")
    LIAISON = "liaison", _("Track One liaison")
    TRANSLATOR = "translator", _("Translator")


class TranslationMethod(models.TextChoices):
    """How a statement's translation was made."""

    FACILITATOR = "facilitator", _("By a facilitator")
    TRANSLATOR = "translator", _("By a translator")
    MACHINE = "machine", _("By machine")


class TranslationReview(models.TextChoices):
    """Where a translation stands: a machine's waits for a person to review it."""

    UNREVIEWED = "unreviewed", _("Awaiting review")
    REVIEWED = "reviewed", _("Reviewed")
    REJECTED = "rejected", _("Rejected")


class ParticipantRole(models.TextChoices):
    """Roles of people who join by invitation, without an account."""

    PARTICIPANT = "participant", _("Participant")
    OBSERVER = "observer", _("Observer")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class TransferModel(models.TextChoices):
    """How an initiative means its results to reach Track One (a later issue uses it)."""

    TOP_DOWN = "top-down", _("Top-down: to officials directly")
    MIDDLE_OUT = "middle-out", _("Middle-out: through mid-level leaders")
    BOTTOM_UP = "bottom-up", _("Bottom-up: through public opinion")


class NoticeKind(models.TextChoices):
    STATEMENT_REDACTED = "statement-redacted", _("Your statement was edited")
    STATEMENT_REJECTED = "statement-rejected", _("Your statement was not accepted")
    GROUND_RULES_CHANGED = "ground-rules-changed", _("The ground rules changed")


CHATHAM_HOUSE_RULE = _(
    # Translators: participants must read the Rule's exact words. Enter Chatham House's own
    # translation of it, or leave it untranslated: the page then quotes it in English.
    "When a meeting, or part thereof, is held under the Chatham House Rule, participants are free "
    "to use the information received, but neither the identity nor the affiliation of the "
    "speaker(s), nor that of any other participant, may be revealed."
)
OFF_THE_RECORD_RULE = _(
    "This dialogue is off the record: nothing said in it may be used, quoted or reported outside "
    "it, with or without attribution."
)
SECRET_MEETING_RULE = _(
    "This meeting is secret: its existence, its title, its dates and everything said in it are "
    "known only to its members and may not be revealed to anyone else."
)

REGIME_TEXTS: dict[str, Promise] = {
    Confidentiality.CHATHAM_HOUSE: CHATHAM_HOUSE_RULE,
    Confidentiality.OFF_THE_RECORD: OFF_THE_RECORD_RULE,
    Confidentiality.SECRET: SECRET_MEETING_RULE,
}


@dataclass(frozen=True)
class Phase:
    """One step of a session's agenda."""

    key: str
    name: Promise | str  # a template's (translated when shown) or the facilitators' own
    purpose: Promise | str
    criticism_held_back: bool = False


@dataclass(frozen=True)
class Template:
    """What a dialogue format brings: its agenda of phases and its default ground rules."""

    format: DialogueFormat
    description: Promise
    phases: tuple[Phase, ...]
    ground_rules: tuple[Promise, ...]
    stages_are_saunders: bool = False  # sustained dialogue: the phases are Saunders' stages

    @property
    def name(self) -> str:
        return str(self.format.label)

    def phase_keys(self) -> list[str]:
        return [phase.key for phase in self.phases]


NO_FAULT = _("No fault: we look at needs, fears and constraints, not at who is to blame.")
EQUAL_WEIGHT = _("Equal weight: the needs and fears of both sides count the same.")
NO_INTERRUPTING = _("No interrupting: one person speaks at a time.")
NO_ATTRIBUTION = _("No attribution: nothing said here is attributed to anyone, here or outside.")
ASK_NOT_ATTACK = _("Ask rather than attack: put questions to understand, not to score points.")
COMMON_RULES: tuple[Promise, ...] = (
    NO_FAULT,
    EQUAL_WEIGHT,
    NO_INTERRUPTING,
    NO_ATTRIBUTION,
    ASK_NOT_ATTACK,
)

TEMPLATES: dict[str, Template] = {
    DialogueFormat.PROBLEM_SOLVING_WORKSHOP: Template(
        DialogueFormat.PROBLEM_SOLVING_WORKSHOP,
        _("A few participants per side and a third-party panel analyse the conflict together."),
        (
            Phase(
                "needs-and-fears",
                _("Needs and fears"),
                _("Each side sets out its needs, concerns and fears; the others listen."),
                criticism_held_back=True,
            ),
            Phase(
                "joint-thinking",
                _("Joint thinking"),
                _("Ideas that could meet both sides' needs. Criticism is held back for now."),
                criticism_held_back=True,
            ),
            Phase(
                "constraints",
                _("Constraints"),
                _("Political and public-opinion constraints on each side."),
            ),
            Phase(
                "overcoming-constraints",
                _("Overcoming constraints"),
                _("Can it work? If not, why not? What can we do?"),
            ),
            Phase(
                "next-steps",
                _("Next steps"),
                _("Joint next steps, and what each participant takes home."),
            ),
        ),
        COMMON_RULES,
    ),
    DialogueFormat.SUSTAINED_DIALOGUE: Template(
        DialogueFormat.SUSTAINED_DIALOGUE,
        _("The same group meets many times over months or years, through five stages."),
        (
            Phase(
                "deciding-to-engage",
                _("Deciding to engage"),
                _("Who takes part, and agreeing to talk."),
            ),
            Phase(
                "mapping-and-naming",
                _("Mapping and naming"),
                _(
                    "Naming the problems and relationships; ends when the group says what it "
                    "really needs to focus on."
                ),
            ),
            Phase(
                "probing-problems-and-relationships",
                _("Probing problems and relationships"),
                _("Looking under the problems at the relationships that cause them."),
            ),
            Phase(
                "scenario-building",
                _("Scenario building"),
                _("Resources, obstacles, steps, who acts, and in what order."),
            ),
            Phase(
                "acting-together",
                _("Acting together"),
                _("Carrying out the scenario together."),
            ),
        ),
        (*COMMON_RULES, _("We come back: each of us commits to the series of meetings.")),
        stages_are_saunders=True,
    ),
    DialogueFormat.CITIZEN_EXCHANGE: Template(
        DialogueFormat.CITIZEN_EXCHANGE,
        _("Citizens from both sides meet to know each other and find shared concerns."),
        (
            Phase("getting-acquainted", _("Getting acquainted"), _("Who we are.")),
            Phase(
                "experiences", _("Sharing experiences"), _("How the conflict touches our lives.")
            ),
            Phase("common-concerns", _("Common concerns"), _("What worries us on both sides.")),
            Phase("follow-up", _("Follow-up"), _("What we will do together next.")),
        ),
        (*COMMON_RULES, _("Speak for yourself, not for your community.")),
    ),
    DialogueFormat.TRACK_ONE_AND_A_HALF: Template(
        DialogueFormat.TRACK_ONE_AND_A_HALF,
        _("Officials in a private capacity and unofficial experts meet behind closed doors."),
        (
            Phase("assessment", _("Assessment"), _("How each side sees the situation now.")),
            Phase(
                "options",
                _("Options"),
                _("Ideas floated without commitment. Criticism is held back for now."),
                criticism_held_back=True,
            ),
            Phase("obstacles", _("Obstacles"), _("What stands in the way, on each side.")),
            Phase(
                "recommendations",
                _("Recommendations"),
                _("What participants can take back to their governments."),
            ),
        ),
        (
            *COMMON_RULES,
            _("Officials take part in a private capacity: nothing said commits a government."),
        ),
    ),
    DialogueFormat.LIVING_ROOM: Template(
        DialogueFormat.LIVING_ROOM,
        _("Neighbours from both communities meet regularly in a home and listen to each other."),
        (
            Phase("check-in", _("Welcome and check-in"), _("How each of us arrives today.")),
            Phase(
                "stories",
                _("Personal stories"),
                _("Compassionate listening: one story at a time, without debate."),
            ),
            Phase("conversation", _("Open conversation"), _("What we heard, and questions.")),
            Phase("closing", _("Closing round"), _("One thing each of us takes away.")),
        ),
        (*COMMON_RULES, _("Listen with compassion, even when it is hard to hear.")),
    ),
}


def template(format_slug: str) -> Template:
    """The template of a format slug (KeyError if it is not one of :class:`DialogueFormat`)."""
    return TEMPLATES[format_slug]


def regime_text(confidentiality: str) -> str:
    """The rule participants are shown for a confidentiality regime, in the active language."""
    return str(REGIME_TEXTS[confidentiality])


def regime_language(confidentiality: str) -> str:
    """The language :func:`regime_text` comes out in: the active one when the catalogue
    translates the rule, else English (``"en"``).

    The Chatham House Rule is shown in its exact words, so a catalogue leaves it
    untranslated unless it holds Chatham House's own translation; pages then mark the
    quotation as English.
    """
    active = translation.get_language() or settings.LANGUAGE_CODE
    if active.split("-")[0] == "en":
        return active
    with translation.override("en"):
        original = str(REGIME_TEXTS[confidentiality])
    return active if regime_text(confidentiality) != original else "en"
