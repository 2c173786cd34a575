"""Cross-output canaries: no page, API answer or log line names or attributes anyone.

Every GET page and API route of the authorisation matrix is fetched as every role, in the
world of ``security_world``, where every handle, real name and participant's statement
is a canary. The world is made and swept once for the module (``swept``), and each test
below checks one property on the same answers. Then:

- a handle appears only in answers to the participant whose handle it is;
- a dialogue's title appears only to its members and the initiative's conveners (and to
  the liaison on the copy of the brief sent to them); a secret meeting's title only to
  its members (the convener);
- a real identity appears nowhere (no route shows identities yet; when one does, only to
  conveners, and it must be listed in ``IDENTITY_VIEWS``);
- no answer carries a participant's ``public_id`` or a JSON key that names a person
  (author, voter, participant, handle), except a participant's own handle to them;
- an answer holding a participant's statement holds neither its author's handle nor
  ``public_id`` (unless it goes to the author);
- log lines of the whole run (every logger at DEBUG: the sweep's, and those of every
  unsafe method as every role), as the site's formatter writes them, hold no handle, real
  name, canary text, token, recovery code or IP address;
- participant-facing results (API and pages) show no count by party or group below the
  dialogue's threshold (D1's Downstream side has three participants).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation
from matrix import API, PAGES
from security_requests import Answer, Request, call, requests
from security_world import (
    CONVENER,
    DIALOGUE_TITLE,
    FACILITATOR,
    FOLLOW_UP_TITLE,
    IP,
    LIAISON,
    OBSERVER,
    OTHER_PARTICIPANT,
    PARTICIPANT,
    PARTICIPANT_OBSERVER,
    ROLES,
    SECRET_TITLE,
    WORDS,
    ModuleWorld,
    World,
    real_name,
    statement_text,
)

from tracktwo.accounts.redact import RedactingFormatter

pytestmark = pytest.mark.django_db

IDENTITY_VIEWS: frozenset[str] = frozenset()  # routes where conveners see real identities
PERSON_KEYS = {"author", "author_id", "voter", "voter_id", "participant", "participant_id"}
PERSON_KEYS |= {"public_id", "handle", "handles", "members", "real_name", "identity"}
GROUPING_KEYS = {"groups", "sides", "parties", "by_party", "by_track", "by_gender", "party"}
BRIEF_COPIES = {"transfer:copy", "transfer:copy-file"}  # a liaison's own copy of a brief
SCHEMA_DOCUMENTS = {"api:openapi-json", "api:openapi-view"}  # field names, not data
IDENTIFIER_KEYS = {"id", "statement", "phase_index", "dialogue", "session"}


@dataclass
class Seen:
    request: Request
    role: str
    answer: Answer

    def where(self) -> str:
        return f"GET {self.request.url} ({self.request.key}) as {self.role}"


def sweep(world: World) -> Iterator[Seen]:
    """Every GET of the matrix as every role."""
    for request in requests(world, PAGES, API):
        if request.method != "GET":
            continue
        for role in ROLES:
            yield Seen(request, role, call(request, world.people[role], world))


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def log_records() -> Iterator[list[logging.LogRecord]]:
    """Every record of every logger at DEBUG, including those that do not propagate."""
    capture = Capture()
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(capture)
        logger.setLevel(logging.DEBUG)
    try:
        yield capture.records
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(capture)
            logger.setLevel(level)


@dataclass
class Swept:
    """The module's world, its sweep and the log records written during the sweep."""

    world: World
    seen: list[Seen]
    records: list[logging.LogRecord]


@pytest.fixture(scope="module")
def swept(module_world: ModuleWorld, django_db_blocker: Any) -> Swept:
    """The module's world (``module_world``: made once, rolled back after the module's last
    test, each test in a savepoint of its own) swept once for the module's tests."""
    with django_db_blocker.unblock():
        with log_records() as records:
            seen = list(sweep(module_world.world))
        translation.deactivate()
    return Swept(module_world.world, seen, records)


def json_of(answer: Answer) -> Any:
    if not answer.content_type.startswith("application/json"):
        return None
    try:
        return json.loads(answer.body)
    except ValueError:
        return None


def walk(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from walk(inner, (*path, str(key)))
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner, path)


def test_it_never_names_or_attributes_anyone(swept: Swept) -> None:
    world = swept.world
    handles = world.handles()
    public_ids = {p.pk: p.public_id for p, _h in world.values["handles"]}
    names = [real_name(word) for word in WORDS]
    authored = {
        statement_text(h.split("-")[1]): p.pk
        for sid, p in world.authors.items()
        for h in [handles[p.pk]]
    }
    titles = {
        DIALOGUE_TITLE: {PARTICIPANT, PARTICIPANT_OBSERVER, OBSERVER, FACILITATOR, CONVENER},
        FOLLOW_UP_TITLE: {OTHER_PARTICIPANT, CONVENER},
        SECRET_TITLE: {CONVENER},
    }
    problems: list[str] = []
    for seen in swept.seen:
        person = world.people[seen.role]
        own = person.participant.pk if person.participant is not None else None
        body = seen.answer.text
        folded = body.casefold()
        for pk, handle in handles.items():
            if handle.casefold() in folded and pk != own:
                problems.append(f"{seen.where()}: shows the handle {handle}")
        for pk, public_id in public_ids.items():
            if public_id in body and pk != own:
                problems.append(f"{seen.where()}: shows the public id of participant {pk}")
        for title, readers in titles.items():
            copy = seen.role == LIAISON and seen.request.key in BRIEF_COPIES
            if (
                title in body
                and seen.role not in readers
                and not (copy and title == DIALOGUE_TITLE)
            ):
                problems.append(f"{seen.where()}: shows the title {title!r}")
        for name in names:
            if name.casefold() in folded and not (
                seen.role == "convener" and seen.request.key in IDENTITY_VIEWS
            ):
                problems.append(f"{seen.where()}: shows the real name {name}")
        for text, author in authored.items():
            named = handles[author] in body or public_ids[author] in body
            if text in body and author != own and named:
                problems.append(f"{seen.where()}: attributes {text!r} to its author")
        data = None if seen.request.key in SCHEMA_DOCUMENTS else json_of(seen.answer)
        for path, value in walk(data):
            if path and path[-1] in PERSON_KEYS and value not in (None, [], {}, ""):
                if own is not None and value in (handles[own], public_ids[own]):
                    continue  # a participant's own handle or public id, to them
                problems.append(f"{seen.where()}: names a person at {'.'.join(path)}")
    fetched = len(swept.seen)
    assert fetched > 200, f"only {fetched} answers: did the sweep find the routes?"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems)))


def test_it_shows_people_what_is_theirs(swept: Swept) -> None:
    """The positive controls of the sweep: the canaries are there to be found where allowed."""
    person = swept.world.people[PARTICIPANT]
    answers = {(s.role, s.request.key): s.answer for s in swept.seen}
    me = answers[PARTICIPANT, "/api/v1/dialogues/{id}/me"]
    assert json.loads(me.body)["handle"] == person.handle
    assert person.handle is not None and person.handle in answers[PARTICIPANT, "dialogues:me"].text
    assert SECRET_TITLE in answers[CONVENER, "dialogues:list"].text
    statements = answers[PARTICIPANT, "/api/v1/dialogues/{id}/statements"].text
    assert statement_text(WORDS[1]) in statements  # accepted, shown without its author


def test_it_keeps_names_tokens_and_addresses_out_of_the_logs(swept: Swept) -> None:
    world = swept.world
    with log_records() as records:  # the sweep's records are in swept.records
        for request in requests(world, PAGES, API):  # the unsafe methods too, as every role
            if request.method != "GET":
                for role in ROLES:
                    call(request, world.people[role], world)
        # a request with the token in the address and one that fails with a server-side log
        world.people["anonymous"].client.get(f"/join/{world.values['invitation']}x")
        world.people["anonymous"].client.get(f"/briefs/open/{world.values['link']}")
    assert len(swept.seen) > 200 and swept.records
    formatter = RedactingFormatter("%(levelname)s %(name)s %(message)s")
    canaries = [*world.handles().values()]
    canaries += [real_name(word) for word in WORDS]
    canaries += [statement_text(word) for word in WORDS]
    secrets = [*world.secrets, IP]
    problems = []
    for record in [*swept.records, *records]:
        raw = record.getMessage()
        written = formatter.format(record)
        for canary in canaries:
            if canary.casefold() in raw.casefold() or canary.casefold() in written.casefold():
                problems.append(f"{record.name}: names {canary}: {written[:200]}")
        for secret in secrets:
            if secret in written:
                problems.append(f"{record.name}: writes a token or address: {written[:200]}")
    assert not problems, "\n".join(problems)


SMALL = re.compile(r"(Upstream|Downstream|Group [A-Z])\W{0,3}([1-4])(?!\d)")


def test_it_withholds_small_cells_from_participants(swept: Swept) -> None:
    threshold = swept.world.dialogue.small_cell_threshold
    assert threshold == 5
    problems: list[str] = []
    looked = 0
    for seen in swept.seen:
        if seen.role not in (PARTICIPANT, PARTICIPANT_OBSERVER) or seen.answer.denied():
            continue
        if seen.request.key in SCHEMA_DOCUMENTS:
            continue
        looked += 1
        data = json_of(seen.answer)
        for path, value in walk(data):
            if not any(key in GROUPING_KEYS for key in path) or not path:
                continue
            if path[-1] in IDENTIFIER_KEYS | GROUPING_KEYS or isinstance(value, bool):
                continue  # an id, or a number of groups or sides (counts.groups)
            if isinstance(value, int) and 0 < value < threshold:
                problems.append(f"{seen.where()}: {'.'.join(path)} = {value}")
        if seen.answer.content_type.startswith("text/html"):
            text = re.sub(r"<[^>]+>", " ", seen.answer.text)
            text = re.sub(r"\s+", " ", text)
            problems += [f"{seen.where()}: {m.group(0)!r}" for m in SMALL.finditer(text)]
    assert looked >= 10, f"only {looked} participant-facing answers"
    assert not problems, "\n".join(problems)
