"""The tests' people and places: accounts, a workshop of two sides, its personas, a master key.

One module builds what the database tests stand on, so every test directory meets the same
people under the same names. A :class:`Workshop` is an initiative of two sides ("Upstream",
"Downstream") with one dialogue, convened by the ``convener``; the other personas are cast
on demand (:meth:`Workshop.cast`), so a test that needs no observer has none:

========================  ===============================================================
persona                   who
========================  ===============================================================
``convener``              created the initiative; convenes it all
``lead_facilitator``      facilitator of the whole initiative (every dialogue)
``facilitator``           facilitator of the workshop's dialogue only
``observer``              observer of the workshop's dialogue
``liaison``               Track One liaison of the initiative
``other_liaison``         a second Track One liaison of the initiative
``outsider``              an account with no role in the initiative
``upstream``              a participant of the dialogue, joined on the first side
``downstream``            a participant of the dialogue, joined on the second side
========================  ===============================================================

Accounts are made with :func:`make_user` (directly in the database) or :func:`make_account`
(through the accounts actions, audited), with :data:`PASSWORD`, a TOTP device
(:func:`enrol_totp`) and an API token (:func:`issue_token`) where a test needs them.

Conftests opt into the fixtures by importing them (``from factories import
private_master_key as private_master_key``): ``private_master_key`` gives each test its own
master key file and forgets every cached key and live analysis around it.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

import pyotp
import pytest

from tracktwo.accounts import actions as accounts
from tracktwo.accounts.models import User
from tracktwo.consent import actions as consent_actions
from tracktwo.dialogues import actions
from tracktwo.dialogues.models import Dialogue
from tracktwo.initiatives import actions as initiative_actions
from tracktwo.initiatives.models import Initiative, Party
from tracktwo.insight import service as live
from tracktwo.safety import datakeys, keys
from tracktwo.safety.datakeys import box_for
from tracktwo.safety.sealed import Box

PASSWORD = "a long enough passphrase 42"
TITLE = "Water and the valley"
SIDES = ("Upstream", "Downstream")
NATO = (  # words for canary handles and names
    "ALPHA",
    "BRAVO",
    "CHARLIE",
    "DELTA",
    "ECHO",
    "FOXTROT",
    "GOLF",
    "HOTEL",
    "INDIA",
    "JULIETT",
    "KILO",
    "LIMA",
    "MIKE",
    "NOVEMBER",
    "OSCAR",
    "PAPA",
)

CONVENER = "convener"
LEAD_FACILITATOR = "lead_facilitator"
FACILITATOR = "facilitator"
OBSERVER = "observer"
LIAISON = "liaison"
OTHER_LIAISON = "other_liaison"
OUTSIDER = "outsider"
UPSTREAM = "upstream"
DOWNSTREAM = "downstream"


@dataclass(frozen=True)
class Persona:
    """A member persona: the account's name prefix, its role and whether only in the dialogue."""

    prefix: str
    role: str | None  # None: no membership at all
    dialogue_only: bool = False


MEMBERS = {
    LEAD_FACILITATOR: Persona("facilitator", "facilitator"),
    FACILITATOR: Persona("facilitator", "facilitator", dialogue_only=True),
    OBSERVER: Persona("observer", "observer", dialogue_only=True),
    LIAISON: Persona("liaison", "liaison"),
    OTHER_LIAISON: Persona("liaison", "liaison"),
    OUTSIDER: Persona("outsider", None),
}
PARTICIPANTS = {UPSTREAM: 0, DOWNSTREAM: 1}  # participant persona -> side

_names = itertools.count(1)


# -- accounts ---------------------------------------------------------------------------------


def make_user(
    prefix: str = "person", *, password: str | None = None, convener: bool = False
) -> User:
    """A new account named ``prefix`` and a number unique in the test run.

    ``convener=True`` marks it as one who may create initiatives (``is_convener``).
    """
    return User.objects.create_user(
        f"{prefix}{next(_names)}", password=password, is_convener=convener
    )


def make_account(
    prefix: str = "person", *, password: str | None = None, convener: bool = False
) -> User:
    """A new account made as the site makes them (``account.created`` audited)."""
    return accounts.create_account(f"{prefix}{next(_names)}", password=password, convener=convener)


def issue_token(user: User, name: str = "tests") -> str:
    """A new API token of ``user`` (the raw bearer value)."""
    _, token = accounts.issue_token(user, name)
    return token


def enrol_totp(user: User) -> str:
    """Give ``user`` a confirmed TOTP device; its secret.

    Confirmed with the previous step's code, so the current step's code and the next are
    still unused.
    """
    _, secret = accounts.start_totp_enrolment(user)
    now = time.time()
    assert accounts.confirm_totp(user, pyotp.TOTP(secret).at(now - 30), at=now)
    return secret


@dataclass
class Account:
    """An account with its password and, when enrolled, its TOTP secret."""

    user: User
    password: str
    secret: str | None = None

    def code(self, steps_ahead: int = 0) -> str:
        """The TOTP code ``steps_ahead`` 30-second steps from now."""
        assert self.secret is not None
        return pyotp.TOTP(self.secret).at(time.time() + 30 * steps_ahead)


def password_account(username: str, *, totp: bool = False, email: str = "") -> Account:
    """An account named exactly ``username`` with :data:`PASSWORD` (and TOTP if asked)."""
    user = accounts.create_account(username, password=PASSWORD, email=email)
    return Account(user, PASSWORD, enrol_totp(user) if totp else None)


# -- a workshop -------------------------------------------------------------------------------


@dataclass
class Workshop:
    """An initiative of two sides with one dialogue, and its people by persona name."""

    initiative: Initiative
    parties: list[Party]
    dialogue: Dialogue
    people: dict[str, User] = field(default_factory=dict)
    joined: dict[str, actions.Joined] = field(default_factory=dict)  # participant personas

    @property
    def convener(self) -> User:
        return self.people[CONVENER]

    @property
    def lead_facilitator(self) -> User:
        return self.people[LEAD_FACILITATOR]

    @property
    def facilitator(self) -> User:
        return self.people[FACILITATOR]

    @property
    def observer(self) -> User:
        return self.people[OBSERVER]

    @property
    def liaison(self) -> User:
        return self.people[LIAISON]

    @property
    def outsider(self) -> User:
        return self.people[OUTSIDER]

    def cast(self, *personas: str) -> Self:
        """Add the named personas (see the module's table), in order."""
        for name in personas:
            if name in PARTICIPANTS:
                side = PARTICIPANTS[name]
                self.joined[name] = self.join(f"{SIDES[side]} participant", side)
            else:
                self.people[name] = self.member(MEMBERS[name])
        return self

    def member(self, persona: Persona) -> User:
        """A new account with the persona's role, given by the convener."""
        user = make_user(persona.prefix)
        if persona.role is not None:
            dialogue = self.dialogue if persona.dialogue_only else None
            initiative_actions.add_member(
                self.initiative, user, persona.role, self.convener, dialogue=dialogue
            )
        return user

    def box(self) -> Box:
        return box_for(self.initiative.pk)

    def invite(self, party: int = 0, dialogue: Dialogue | None = None, **kwargs: object) -> str:
        """A new invitation's raw token, from the convener, to the given side."""
        _, token = actions.create_invitation(
            dialogue or self.dialogue,
            party=self.parties[party],
            by=self.convener,
            **kwargs,  # type: ignore[arg-type]
        )
        return token

    def join(self, handle: str, party: int = 0, **kwargs: object) -> actions.Joined:
        """A participant who accepted the ground rules, joined on the given side."""
        return actions.join(self.invite(party), handle, True, **kwargs)  # type: ignore[arg-type]


def make_workshop(
    title: str = TITLE,
    parties: tuple[str, ...] = SIDES,
    *,
    dialogue_title: str | None = None,
    moderation_required: bool = True,
    confidentiality: str = "chatham-house",
    format: str = "problem-solving-workshop",
    personas: tuple[str, ...] = (),
) -> Workshop:
    """A convener's new initiative and dialogue (``"<title>: first workshop"``), and personas."""
    convener = make_user(CONVENER, convener=True)
    initiative = initiative_actions.create_initiative(convener, title, list(parties))
    dialogue = actions.create_dialogue(
        initiative,
        dialogue_title or f"{title}: first workshop",
        format,
        confidentiality,
        convener,
        moderation_required=moderation_required,
    )
    sides = list(initiative.parties.order_by("position"))
    workshop = Workshop(initiative, sides, dialogue, {CONVENER: convener})
    return workshop.cast(*personas)


def assess_tool(dialogue: Dialogue, convener: User, *tools: str, enabled: bool = True) -> None:
    """Record a do-no-harm assessment of each tool for the dialogue (a tool with none is off):
    ``"briefs"``, ``"backchannel"``, ``"polis_export"``, ``"evaluation"``, ``"publication"``."""
    for tool in tools or ("briefs", "backchannel", "polis_export", "evaluation", "publication"):
        consent_actions.assess_tool(
            convener,
            dialogue,
            tool,
            exposes="Nobody by name: totals per side only.",
            worst_case="A side's position is read as a concession at home.",
            mitigation="Small cells withheld; the brief is marked and traced.",
            enabled=enabled,
        )


# -- a site of its own, for commands run in a subprocess --------------------------------------


def site_environ(folder: Path, database: str | None = None, **extra: str) -> dict[str, str]:
    """This process's environment for a site whose data folder is ``folder``.

    The child imports this checkout's ``tracktwo`` (``PYTHONPATH``), whichever one the
    interpreter's own install points at. With ``database`` (a file name) the site has its own
    master key file and SQLite database
    in ``folder`` and never counts as the PostgreSQL pass; without, it uses the database its
    data folder holds (``DATABASE_URL`` is removed). ``extra`` variables are added.
    """
    checkout = str(Path(__file__).resolve().parents[1])  # this checkout's tracktwo, always
    path = os.pathsep.join(p for p in (checkout, os.environ.get("PYTHONPATH", "")) if p)
    environ = {**os.environ, "TRACKTWO_DATA_DIR": str(folder), "PYTHONPATH": path, **extra}
    if database is None:
        environ.pop("DATABASE_URL", None)
        return environ
    environ["TRACKTWO_MASTER_KEY_FILE"] = str(folder / "keys" / "master.key")
    environ["DATABASE_URL"] = f"sqlite:///{folder / database}"
    environ.pop("TRACKTWO_TEST_ON_POSTGRES", None)
    return environ


def run_python(
    environ: Mapping[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` in ``environ``, its output captured as text, whatever its exit status."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=dict(environ),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def run_tracktwo(
    environ: Mapping[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The ``tracktwo`` command with ``args``, as :func:`run_python` runs it."""
    return run_python(environ, "-m", "tracktwo.cli", *args, cwd=cwd)


# -- fixtures (a conftest imports those it wants) ---------------------------------------------


def forget_cached_keys() -> None:
    """Forget the master key, the data keys and every live analysis held in memory."""
    keys.forget_master_key()
    datakeys.forget_data_keys()
    live.forget()  # ids repeat between tests: no analysis carries over


def own_master_key(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Use the master key file ``path`` (created on first use) with nothing cached around it."""
    monkeypatch.setenv("TRACKTWO_MASTER_KEY_FILE", str(path))
    forget_cached_keys()
    yield path
    forget_cached_keys()


@pytest.fixture(autouse=True)
def private_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test its own master key file, so rotations never touch another test's keys."""
    yield from own_master_key(tmp_path / "keys" / "master.key", monkeypatch)


@pytest.fixture
def workshop(db: None) -> Workshop:
    """A workshop with its convener only."""
    return make_workshop()
