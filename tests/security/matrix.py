"""The authorisation matrix: for every page and API route, who may do what.

This is data. ``PAGES`` is keyed by the URL pattern's name (``namespace:name``, or the bare
name outside a namespace); ``API`` by the OpenAPI path under ``/api/v1``. Each route maps
HTTP methods to a :class:`Rule`: the roles (see ``security_world``) that pass its
permission check, the statuses such a caller gets, and the form or JSON body sent.
A page method that is not listed must be refused to everyone (405, or a denial); every
API method in the OpenAPI schema must be listed.

Every role not in ``allow`` must be denied: 401, 403, 404 or 405, or a redirect to the
sign-in page (accounts) or to ``/recover`` (participants). Where ``ok`` holds 400, 409 or
410 for an allowed caller, ``why`` says why that status means "passed the permission
check" (e.g. a browser session without a pending invitation).

Path parameters are filled from ``World.values`` by :data:`DEFAULT_PARAMS` or a route's
``params``; a value starting with ``=`` is literal. Strings ``"{name}"`` in a body are
filled the same way. The target is always initiative A's dialogue D1 and its objects, so
the participant of another dialogue and the facilitator of another initiative are asked
about things they do not belong to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from security_world import (
    ANONYMOUS,
    CONVENER,
    FACILITATOR,
    LIAISON,
    OBSERVER,
    OTHER_FACILITATOR,
    OTHER_LIAISON,
    OTHER_PARTICIPANT,
    PARTICIPANT,
    PARTICIPANT_OBSERVER,
    ROLES,
    WITHDRAWN,
)

EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
ACCOUNTS = frozenset({OBSERVER, FACILITATOR, CONVENER, LIAISON, OTHER_LIAISON, OTHER_FACILITATOR})
TOKEN_HOLDERS = EVERYONE - {ANONYMOUS, WITHDRAWN}  # live tokens
IN_D1 = frozenset({PARTICIPANT, PARTICIPANT_OBSERVER})  # joined D1 (one as an observer)
VOTER = frozenset({PARTICIPANT})
RUNNING = frozenset({FACILITATOR, CONVENER})
WATCHING = RUNNING | {OBSERVER}
CONVENING = frozenset({CONVENER})
# The transfer log, Track One events and timeline span the initiative: conveners and
# initiative-wide facilitators (the world's facilitator runs D1 only).
LOG_KEEPERS = CONVENING
RECIPIENT = frozenset({LIAISON})
REQUESTER = frozenset({FACILITATOR})  # who asked for the world's prepared file
JOB = {"key": "job"}
OBSERVING = frozenset({PARTICIPANT_OBSERVER})

# The back-channel: the two sides' members (the participant speaks for Upstream, the other
# participant, of D2, for Downstream) and the facilitators who carry.
SIDES = frozenset({PARTICIPANT, OTHER_PARTICIPANT})
SENDER = frozenset({PARTICIPANT})

OK = frozenset({200})
CREATED = frozenset({201})
MOVED = frozenset({302})


@dataclass(frozen=True)
class Rule:
    allow: frozenset[str]
    ok: frozenset[int] = OK
    data: Mapping[str, Any] | None = None
    query: str = ""
    why: str = ""
    quiet: frozenset[str] = NOBODY  # refused by a form error or a message, database unchanged

    def __post_init__(self) -> None:
        unknown = self.allow - EVERYONE
        assert not unknown, f"unknown roles {sorted(unknown)}"
        assert not (self.ok & {400, 409, 410}) or self.why, "say why 400/409/410 is an allow"


@dataclass(frozen=True)
class Route:
    methods: Mapping[str, Rule]
    params: Mapping[str, str] = field(default_factory=dict)


DEFAULT_PARAMS = {
    "dialogue_id": "dialogue",
    "initiative_id": "initiative",
    "statement_id": "own_statement",
    "brief_id": "brief",
    "recipient_id": "copy",
    "entry_id": "entry",
    "sid": "statement",
}

NARRATIVE = {
    "title": "Water: a brief",
    "context": "Two workshops.",
    "proposals": "A joint commission.",
    "next_steps": "Meet again.",
    "method_note": "Twelve people took part.",
}
TRANSFER = {
    "conveyed_on": "2026-04-01",
    "conveyor_kind": "facilitator",
    "conveyed_by": "The facilitators",
    "idea": "A joint river commission",
    "body": "Ministry of Agriculture",
    "channel": "meeting",
}
WORKSHOP_KEYS = (
    "needs-and-fears",
    "joint-thinking",
    "constraints",
    "overcoming-constraints",
    "next-steps",
)
AGENDA_FORM = {
    "form-TOTAL_FORMS": "5",
    "form-INITIAL_FORMS": "5",
    **{f"form-{i}-key": key for i, key in enumerate(WORKSHOP_KEYS)},
    **{f"form-{i}-position": str(i + 1) for i in range(5)},
}
MEETING_1 = {"id": "dialogue", "number": "=1"}
NOT_A_SIDE_MEETING = "meeting 1 is the facilitated agenda: notes belong to a side's meeting (409)"
NOT_THE_OPENING = "meeting 1 is the facilitated agenda, not the opening (409)"
NO_INVITATION = "the browser session holds no invitation: the page says so (400)"
NO_QUOTAS = "the world's dialogue has no quotas: the draw answers 400 saying so"
NO_DRAW = "the world's dialogue has no draw: the invitations answer 400 saying so"
NO_SURVEY = "the world's dialogue has no survey (409) unless a facilitator composed one first"

PAGES: dict[str, Route] = {
    # the site
    "healthz": Route({"GET": Rule(EVERYONE)}),
    # each role's home: anonymous visitors and participants are sent on or shown the doors
    "home": Route({"GET": Rule(EVERYONE, OK | MOVED)}),
    "exit": Route({"GET": Rule(EVERYONE), "POST": Rule(EVERYONE)}),
    "set_language": Route(
        {"GET": Rule(EVERYONE, MOVED), "POST": Rule(EVERYONE, MOVED, {"language": "en"})}
    ),
    # ninja answers the schema and its viewer to any method
    # the schema and its docs: accounts only unless DEBUG is on (tests run with it off)
    "api:openapi-json": Route({"GET": Rule(ACCOUNTS), "POST": Rule(ACCOUNTS)}),
    "api:openapi-view": Route({"GET": Rule(ACCOUNTS), "POST": Rule(ACCOUNTS)}),
    "api:api-root": Route({}),
    # accounts
    "accounts:home": Route({"GET": Rule(ACCOUNTS), "POST": Rule(ACCOUNTS)}),  # POST: the same page
    "accounts:sign-in": Route(  # the signed-in are sent on to their pages
        {
            "GET": Rule(EVERYONE, OK | MOVED),
            "POST": Rule(EVERYONE, OK | MOVED, {"username": "x", "password": "wrong"}),
        }
    ),
    "accounts:sign-in-totp": Route(
        {"GET": Rule(EVERYONE, MOVED), "POST": Rule(EVERYONE, MOVED, {"code": "123456"})}
    ),
    "accounts:sign-out": Route({"GET": Rule(EVERYONE, OK | MOVED), "POST": Rule(EVERYONE, MOVED)}),
    "accounts:totp": Route({"GET": Rule(ACCOUNTS), "POST": Rule(ACCOUNTS)}),
    "accounts:tokens": Route(
        {"GET": Rule(ACCOUNTS), "POST": Rule(ACCOUNTS, CREATED, {"action": "issue", "name": "x"})}
    ),
    "accounts:sessions": Route(
        {"GET": Rule(ACCOUNTS), "POST": Rule(ACCOUNTS, MOVED, {"action": "revoke-others"})}
    ),
    # the link is the credential: anyone holding a valid one; an invalid link says so (200)
    "accounts:set-password": Route(
        {
            "GET": Rule(EVERYONE),
            "POST": Rule(EVERYONE, OK, {"password": "a long new passphrase", "again": "x"}),
        },
        {"uid": "=MQ", "token": "=not-a-token"},
    ),
    # participants
    "dialogues:join-link": Route({"GET": Rule(EVERYONE, MOVED)}, {"token": "invitation"}),
    "dialogues:join": Route(
        {
            "GET": Rule(EVERYONE, frozenset({400}), why=NO_INVITATION),
            "POST": Rule(
                EVERYONE, frozenset({400}), {"handle": "x", "accept": "on"}, why=NO_INVITATION
            ),
        }
    ),
    "dialogues:recover": Route(
        {
            "GET": Rule(EVERYONE),
            "POST": Rule(  # whoever holds the handle and recovery code: the welcome page
                EVERYONE,
                OK,
                {
                    "dialogue": "{dialogue}",
                    "handle": "{participant_handle}",
                    "code": "{recovery_code}",
                },
            ),
        }
    ),
    "dialogues:home": Route({"GET": Rule(IN_D1, MOVED)}),
    "dialogues:rules": Route({"GET": Rule(IN_D1), "POST": Rule(IN_D1, MOVED, {"accept": "on"})}),
    "dialogues:vote": Route(
        {
            "GET": Rule(IN_D1),
            "POST": Rule(
                VOTER, MOVED, {"statement": "{statement}", "vote": "agree"}, quiet=OBSERVING
            ),
        }
    ),
    "dialogues:write": Route(
        {
            "GET": Rule(IN_D1),
            "POST": Rule(VOTER, MOVED, {"text": "The river is everyone's."}, quiet=OBSERVING),
        }
    ),
    "dialogues:me": Route({"GET": Rule(IN_D1)}),
    "dialogues:read-notices": Route({"POST": Rule(IN_D1, MOVED)}),
    "dialogues:delete-statement": Route({"POST": Rule(VOTER, MOVED, quiet=OBSERVING)}),
    "dialogues:withdraw": Route({"GET": Rule(IN_D1), "POST": Rule(IN_D1)}),  # "you have left"
    "dialogues:results": Route({"GET": Rule(IN_D1)}),
    # issue 13: the participant's meeting page and held critiques
    "dialogues:my-meeting": Route(
        {"GET": Rule(IN_D1), "POST": Rule(IN_D1, MOVED, {"action": "acknowledge"})}
    ),
    "dialogues:critique": Route(
        {
            "POST": Rule(
                VOTER, MOVED, {"statement": "{statement}", "note": "Later."}, quiet=OBSERVING
            )
        }
    ),
    # risk and consent: the participant's own pages, the conveners' safeguards
    "consent:risk": Route(
        {
            "GET": Rule(IN_D1),
            "POST": Rule(
                IN_D1, MOVED, {"level": "high", "device": "personal", "known_at_home": "no"}
            ),
        }
    ),
    "consent:consent": Route(
        {"GET": Rule(IN_D1), "POST": Rule(IN_D1, MOVED, {"version": 1, "accept": "on"})}
    ),
    "consent:withdraw": Route({"POST": Rule(IN_D1, MOVED)}),
    "consent:data": Route({"GET": Rule(IN_D1)}),
    "consent:delete": Route({"GET": Rule(IN_D1), "POST": Rule(IN_D1, OK, {"confirm": "on"})}),
    "consent:safeguards": Route(
        {"GET": Rule(RUNNING), "POST": Rule(CONVENING, MOVED, {"level": "high"})}
    ),
    # the risk profiles participants shared with the calling convener (those only: see
    # SHARED_PROFILES_ONLY below)
    "consent:risk-profiles": Route({"GET": Rule(CONVENING)}),
    # conveners, facilitators, observers
    "dialogues:list": Route({"GET": Rule(ACCOUNTS)}),
    "dialogues:new": Route(  # a new initiative: only accounts marked as conveners
        {
            "GET": Rule(ACCOUNTS),
            "POST": Rule(
                CONVENING,
                MOVED,
                {
                    "initiative": "",
                    "initiative_title": "A new valley",
                    "parties": "East\nWest",
                    "title": "A new workshop",
                    "format": "living-room",
                    "confidentiality": "chatham-house",
                },
                quiet=ACCOUNTS - CONVENING,  # the form says only conveners may
            ),
        }
    ),
    "dialogues:overview": Route({"GET": Rule(WATCHING)}),
    "dialogues:start-session": Route({"POST": Rule(RUNNING, MOVED)}),
    "dialogues:agenda": Route({"GET": Rule(RUNNING), "POST": Rule(RUNNING, MOVED, AGENDA_FORM)}),
    "dialogues:meeting": Route(
        {"GET": Rule(WATCHING), "POST": Rule(RUNNING, MOVED, {"action": "clear-round"})},
        {"number": "=1"},
    ),
    "dialogues:phase": Route({"POST": Rule(RUNNING, MOVED, {"action": "advance"})}),
    "dialogues:share": Route({"POST": Rule(RUNNING, MOVED, {"shared": "0"})}),
    "dialogues:ground-rules": Route(
        {"GET": Rule(RUNNING), "POST": Rule(RUNNING, MOVED, {"rules": "Be kind.\nListen."})}
    ),
    "dialogues:invitations": Route(
        {
            "GET": Rule(RUNNING),
            "POST": Rule(
                RUNNING,
                CREATED,  # the page showing the new links once
                {
                    "party": "{party}",
                    "track": "2",
                    "role": "participant",
                    "expires_in_days": "7",
                    "count": "1",
                },
            ),
        }
    ),
    "dialogues:revoke-invitation": Route(  # back to the invitations page, with a message
        {"POST": Rule(RUNNING, MOVED)}, {"invitation_id": "open_invitation"}
    ),
    "dialogues:moderation": Route(
        {
            "GET": Rule(RUNNING),
            "POST": Rule(
                RUNNING,
                MOVED,
                {"action": "moderate", "statement": "{pending}", "state": "accepted"},
            ),
        }
    ),
    "dialogues:translations": Route(
        {
            "GET": Rule(RUNNING),
            "POST": Rule(
                RUNNING,
                MOVED,
                {"action": "review", "translation": "{translation}", "decision": "accept"},
            ),
        }
    ),
    "insight:dashboard": Route({"GET": Rule(WATCHING)}),
    "insight:dashboard-live": Route({"GET": Rule(WATCHING)}),
    "initiatives:initiative": Route(  # conveners only: details and parties
        {
            "GET": Rule(CONVENING),
            "POST": Rule(CONVENING, MOVED, {"action": "party", "name": "Coastal towns"}),
        }
    ),
    "initiatives:members": Route(  # conveners only (a no-op change: back to the page)
        {
            "GET": Rule(CONVENING),
            "POST": Rule(
                CONVENING,
                MOVED,
                {"action": "change", "membership": "{observer_membership}", "role": "observer"},
            ),
        }
    ),
    # the evaluation of change (no survey in the world: the pages say so)
    "evaluation:waves": Route({"GET": Rule(IN_D1)}),
    "evaluation:answer": Route(
        {
            "GET": Rule(IN_D1),  # "this part of the survey is not open now"
            "POST": Rule(
                IN_D1,
                frozenset({400}),
                {"thermometer": "50"},
                why="the world's dialogue has no survey: the form says so (400)",
            ),
        },
        {"wave": "=pre"},
    ),
    "evaluation:results": Route({"GET": Rule(WATCHING)}),
    "evaluation:compose": Route(
        {"GET": Rule(RUNNING), "POST": Rule(RUNNING, MOVED, {"items": "thermometer"})}
    ),
    "evaluation:set-waves": Route({"POST": Rule(RUNNING, MOVED, {"open": "pre"})}),
    "evaluation:revote": Route(  # no round open in the world: the page says so
        {
            "GET": Rule(IN_D1),
            "POST": Rule(IN_D1, MOVED, {"statement": "{statement}", "vote": "agree"}),
        }
    ),
    "evaluation:tracking": Route({"POST": Rule(RUNNING, MOVED, {"action": "round"})}),
    "evaluation:report": Route({"GET": Rule(RUNNING)}),
    # a file prepared on a worker: its requester's alone (the world's facilitator asked)
    "workers:job": Route({"GET": Rule(REQUESTER)}, JOB),
    "workers:file": Route({"GET": Rule(REQUESTER)}, JOB),
    "evaluation:initiative": Route(  # the outcome register's keepers
        {
            "GET": Rule(CONVENING),
            "POST": Rule(
                CONVENING,
                MOVED,
                {"action": "theory", "if": "they meet", "then": "trust", "because": "contact"},
            ),
        },
        {"initiative_id": "initiative"},
    ),
    # briefs and the transfer log
    "transfer:editor": Route({"GET": Rule(RUNNING), "POST": Rule(RUNNING, MOVED, NARRATIVE)}),
    "transfer:preview": Route({"GET": Rule(RUNNING)}),
    "transfer:brief": Route({"GET": Rule(RUNNING)}),
    "transfer:issue": Route(
        {
            "GET": Rule(RUNNING),
            "POST": Rule(RUNNING, OK, {"link_days": "7", "send_{liaison_user}": "on"}),
        },
        {"brief_id": "draft"},
    ),
    "transfer:file-copy": Route({"GET": Rule(RUNNING)}),
    "transfer:revoke": Route({"POST": Rule(RUNNING, MOVED)}),
    "transfer:open-link": Route({"GET": Rule(EVERYONE, MOVED)}, {"token": "link"}),
    "transfer:open-pending": Route({"GET": Rule(ACCOUNTS, MOVED)}),
    "transfer:mine": Route({"GET": Rule(ACCOUNTS)}),
    "transfer:copy": Route({"GET": Rule(RECIPIENT)}),
    "transfer:copy-file": Route({"GET": Rule(RECIPIENT)}, {"fmt": "=md"}),
    "transfer:hub": Route({"GET": Rule(RUNNING)}),
    "transfer:log": Route(
        {"GET": Rule(LOG_KEEPERS), "POST": Rule(LOG_KEEPERS, MOVED, {"action": "log", **TRANSFER})}
    ),
    "transfer:entry": Route({"GET": Rule(LOG_KEEPERS), "POST": Rule(LOG_KEEPERS, MOVED, TRANSFER)}),
    "transfer:timeline": Route(
        {
            "GET": Rule(LOG_KEEPERS),
            "POST": Rule(
                LOG_KEEPERS,
                MOVED,
                {"happened_on": "2026-04-02", "body": "Ministry", "description": "A meeting."},
            ),
        }
    ),
    "transfer:trace": Route(
        {"GET": Rule(CONVENING), "POST": Rule(CONVENING, OK, {"text": "A leaked paragraph."})}
    ),
    # the back-channel
    "backchannel:channel": Route(
        {
            "GET": Rule(SIDES | RUNNING | RECIPIENT),  # the liaison: their exchanges
            "POST": Rule(SIDES, MOVED, {"action": "send", "to_party": "", "text": "Hello."}),
        }
    ),
    "backchannel:caucus": Route(
        {"GET": Rule(SIDES), "POST": Rule(SIDES, MOVED, {"text": "Our red lines?"})}
    ),
    "backchannel:act": Route(
        {"POST": Rule(RUNNING, MOVED)}, {"message_id": "bc_awaiting", "verb": "=carry"}
    ),
    "backchannel:exchange": Route(  # the liaison has Upstream's voice in the world's exchange
        {
            "GET": Rule(RECIPIENT),
            "POST": Rule(RECIPIENT, MOVED, {"to_party": "{party_down}", "text": "Gauges?"}),
        },
        {"exchange_id": "exchange"},
    ),
    # the actor map and a dialogue's delegation: conveners only (they name people)
    "initiatives:actors": Route(
        {
            "GET": Rule(CONVENING),
            "POST": Rule(
                CONVENING,
                MOVED,
                {
                    "action": "add",
                    "name": "A mayor",
                    "kind": "person",
                    "track": "4",
                    "level": "middle",
                    "influence": "1",
                    "access": "0",
                },
            ),
        }
    ),
    "initiatives:actors-csv": Route({"GET": Rule(CONVENING)}),
    "initiatives:delegation": Route(
        {
            "GET": Rule(CONVENING),
            "POST": Rule(
                CONVENING,
                MOVED,
                {"action": "plan", "quotas": "category,value,min,max\ngender,woman,0,3\n"},
            ),
        }
    ),
}

# The operator's admin (tracktwo/accounts/admin.py): only is_staff accounts, and nobody in the
# world is staff, so every admin route is denied to every role: the anonymous and the
# participants are sent to the site's sign-in page, the other accounts get 403.
ADMIN_PARAMS = {
    "object_id": "liaison_user",
    "app_label": "=accounts",
    "content_type_id": "=1",
}
ADMIN_ROUTES = (
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
    "accounts_user_changelist",
    "accounts_user_change",
)
PAGES.update(
    {
        f"admin:{name}": Route({"GET": Rule(NOBODY), "POST": Rule(NOBODY)}, ADMIN_PARAMS)
        for name in ADMIN_ROUTES
    }
)

DIALOGUE = {"id": "dialogue"}
BC_AWAITING = {"message_id": "bc_awaiting"}
BC_PROPOSED = {"message_id": "bc_proposed"}
INITIATIVE = {"id": "initiative"}

API: dict[str, Route] = {
    "/api/v1/me": Route({"GET": Rule(TOKEN_HOLDERS)}),
    "/api/v1/dialogues": Route(
        {
            "GET": Rule(TOKEN_HOLDERS),
            "POST": Rule(
                CONVENING,  # accounts marked as conveners (403 for others)
                CREATED,
                {
                    "title": "A new valley",
                    "format": "living-room",
                    "confidentiality": "chatham-house",
                    "parties": ["East", "West"],
                },
            ),
        }
    ),
    "/api/v1/dialogues/{id}": Route({"GET": Rule(WATCHING | IN_D1)}, DIALOGUE),
    "/api/v1/dialogues/{id}/invitations": Route(
        {
            "GET": Rule(RUNNING),
            "POST": Rule(RUNNING, CREATED, {"party": "{party}", "track": 2}),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/invitations/{iid}": Route(
        {"DELETE": Rule(RUNNING, frozenset({204}))}, {"id": "dialogue", "iid": "open_invitation"}
    ),
    "/api/v1/join": Route(
        {
            "POST": Rule(
                EVERYONE,
                CREATED,
                {"token": "{invitation}", "handle": "New person", "accept_ground_rules": True},
            )
        }
    ),
    "/api/v1/dialogues/{id}/recover": Route(
        {
            "POST": Rule(
                EVERYONE,
                CREATED,
                {"handle": "{participant_handle}", "recovery_code": "{recovery_code}"},
            )
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/ground-rules": Route(
        {"POST": Rule(IN_D1, OK, {"version": 1})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/statements": Route(
        {
            "GET": Rule(WATCHING | IN_D1),
            "POST": Rule(RUNNING | VOTER, CREATED, {"text": "The river is everyone's."}),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/statements/{sid}/moderation": Route(
        {"POST": Rule(RUNNING, OK, {"state": "accepted"})}, {"id": "dialogue", "sid": "pending"}
    ),
    "/api/v1/dialogues/{id}/statements/{sid}": Route(
        {"DELETE": Rule(VOTER, frozenset({204}))}, {"id": "dialogue", "sid": "own_statement"}
    ),
    "/api/v1/dialogues/{id}/next-statement": Route(
        {"GET": Rule(VOTER, frozenset({200, 204}))}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/votes": Route(
        {"POST": Rule(VOTER, CREATED, {"statement": "{statement}", "vote": "agree"})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/analysis": Route({"GET": Rule(WATCHING | IN_D1)}, DIALOGUE),
    "/api/v1/dialogues/{id}/me": Route(
        {"GET": Rule(IN_D1), "DELETE": Rule(IN_D1, frozenset({204}))}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/me/risk": Route(
        {"GET": Rule(IN_D1), "PUT": Rule(IN_D1, OK, {"level": "severe"})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/me/consent": Route(
        {
            "GET": Rule(IN_D1),
            "POST": Rule(IN_D1, OK, {"version": 1}),
            "DELETE": Rule(IN_D1, OK),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/me/data": Route({"GET": Rule(IN_D1)}, DIALOGUE),
    "/api/v1/dialogues/{id}/assessments": Route(
        {
            "GET": Rule(CONVENING),
            "POST": Rule(
                CONVENING,
                CREATED,
                {
                    "tool": "briefs",
                    "exposes": "Nobody by name.",
                    "worst_case": "A leak.",
                    "mitigation": "Marked copies.",
                    "enabled": True,
                },
            ),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/risk-floor": Route(
        {"PUT": Rule(CONVENING, OK, {"level": "high"})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/risk-profiles": Route({"GET": Rule(CONVENING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/withdraw": Route({"POST": Rule(IN_D1, OK, {})}, DIALOGUE),
    "/api/v1/dialogues/{id}/phase": Route({"POST": Rule(RUNNING, OK, {})}, DIALOGUE),
    "/api/v1/dialogues/{id}/share": Route({"POST": Rule(RUNNING, OK, {"shared": False})}, DIALOGUE),
    "/api/v1/dialogues/{id}/balance": Route({"GET": Rule(RUNNING)}, DIALOGUE),
    "/api/v1/initiatives/{id}/actors": Route({"GET": Rule(CONVENING)}, INITIATIVE),
    "/api/v1/dialogues/{id}/delegation/balance": Route({"GET": Rule(WATCHING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/delegation/gaps": Route({"GET": Rule(CONVENING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/delegation/draw": Route(
        {"POST": Rule(CONVENING, frozenset({400}), {"panel_size": 2}, why=NO_QUOTAS)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/delegation/invitations": Route(
        {"POST": Rule(CONVENING, frozenset({400}), {"draw": 1}, why=NO_DRAW)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/export/polis": Route({"GET": Rule(CONVENING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/agenda": Route(
        {
            "GET": Rule(WATCHING | IN_D1),
            "PUT": Rule(RUNNING, OK, {"phases": [{"key": key} for key in WORKSHOP_KEYS]}),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/meetings": Route(
        {"GET": Rule(WATCHING | IN_D1), "POST": Rule(RUNNING, CREATED, {"kind": "agenda"})},
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/meetings/{number}": Route(
        {"PATCH": Rule(RUNNING, OK, {"confidentiality": ""})}, MEETING_1
    ),
    "/api/v1/dialogues/{id}/meetings/{number}/round": Route(
        {"POST": Rule(RUNNING, OK, {"minutes": 20}), "DELETE": Rule(RUNNING)}, MEETING_1
    ),
    "/api/v1/dialogues/{id}/meetings/{number}/notes": Route(
        {
            "GET": Rule(RUNNING | IN_D1),
            "POST": Rule(
                VOTER,
                frozenset({409}),
                {"kind": "pre-briefing", "text": "A note."},
                why=NOT_A_SIDE_MEETING,
            ),
        },
        MEETING_1,
    ),
    "/api/v1/dialogues/{id}/meetings/{number}/opening": Route(
        {"POST": Rule(VOTER, frozenset({409}), {}, why=NOT_THE_OPENING)}, MEETING_1
    ),
    "/api/v1/dialogues/{id}/held-critiques": Route(
        {
            "GET": Rule(IN_D1),
            "POST": Rule(VOTER, CREATED, {"statement": "{statement}", "note": "Later."}),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/analysis/phases": Route({"GET": Rule(WATCHING | IN_D1)}, DIALOGUE),
    "/api/v1/dialogues/{id}/translations/queue": Route({"GET": Rule(RUNNING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/statements/{sid}/translations": Route(
        {"POST": Rule(RUNNING, CREATED, {"language": "he", "text": "המים משותפים"})},
        {"id": "dialogue", "sid": "statement"},
    ),
    "/api/v1/dialogues/{id}/translations/{tid}/review": Route(
        {"POST": Rule(RUNNING, OK, {"accept": True})}, {"id": "dialogue", "tid": "translation"}
    ),
    "/api/v1/dialogues/{id}/translations/machine": Route(
        {
            "POST": Rule(
                RUNNING,
                frozenset({409}),
                {"statement": "{statement}", "language": "he"},
                why="no machine translation backend is configured (409 for those allowed)",
            )
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/languages": Route(
        {"POST": Rule(CONVENING, OK, {"show_unreviewed_machine": False})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/languages/ground-rules": Route(
        {"POST": Rule(RUNNING, OK, {"language": "ar", "rules": ["تحدث باسمك فقط."]})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/analysis/languages": Route({"GET": Rule(WATCHING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/brief": Route({"GET": Rule(RUNNING, query="format=md")}, DIALOGUE),
    "/api/v1/jobs/{key}": Route({"GET": Rule(REQUESTER)}, JOB),
    "/api/v1/jobs/{key}/file": Route({"GET": Rule(REQUESTER)}, JOB),
    "/api/v1/evaluation/instruments": Route({"GET": Rule(TOKEN_HOLDERS)}),
    "/api/v1/dialogues/{id}/evaluation/survey": Route(
        {
            "GET": Rule(WATCHING | IN_D1),
            "PUT": Rule(RUNNING, OK, {"items": ["thermometer"]}),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/evaluation/waves": Route(
        {"POST": Rule(RUNNING, OK | frozenset({409}), {"open": ["pre"]}, why=NO_SURVEY)},
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/evaluation/responses": Route(
        {
            "POST": Rule(
                VOTER,
                frozenset({409}),
                {"wave": "pre", "answers": {"thermometer": 50}},
                why=NO_SURVEY,
            )
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/evaluation/results": Route({"GET": Rule(WATCHING)}, DIALOGUE),
    "/api/v1/dialogues/{id}/evaluation/tracking": Route(
        {"GET": Rule(WATCHING), "PUT": Rule(RUNNING, OK, {"statements": []})}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/evaluation/tracking/rounds": Route(
        {
            "POST": Rule(
                RUNNING,
                frozenset({409}),
                why="the world's dialogue has no tracking statement: no round can open (409)",
            )
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/evaluation/brief": Route(
        {"POST": Rule(RUNNING, OK, {"brief": "{draft}"})}, DIALOGUE
    ),
    "/api/v1/initiatives/{id}/evaluation/theory": Route(
        {
            "GET": Rule(CONVENING),
            "PUT": Rule(CONVENING, OK, {"if": "they meet", "then": "trust", "because": "contact"}),
        },
        INITIATIVE,
    ),
    "/api/v1/initiatives/{id}/evaluation/indicators": Route(
        {"POST": Rule(CONVENING, CREATED, {"name": "Trust"})}, INITIATIVE
    ),
    "/api/v1/evaluation/indicators/{indicator_id}/entries": Route(
        {"POST": Rule(CONVENING, OK, {"value": "2.5", "on": "2026-11-01"})},
        {"indicator_id": "indicator"},
    ),
    "/api/v1/evaluation/indicators/{indicator_id}": Route(
        {"PATCH": Rule(CONVENING, OK, {"target": "4"}), "DELETE": Rule(CONVENING)},
        {"indicator_id": "indicator"},
    ),
    "/api/v1/evaluation/indicators/{indicator_id}/entries/{position}": Route(
        {"DELETE": Rule(CONVENING)},
        {"indicator_id": "indicator", "position": "=1"},
    ),
    "/api/v1/initiatives/{id}/outcomes": Route(
        {
            "GET": Rule(CONVENING),  # and initiative-wide facilitators
            "POST": Rule(
                CONVENING,
                CREATED,
                {
                    "happened_on": "2026-11-02",
                    "social_actor": "A water board",
                    "change": "Shared its gauge data.",
                    "contribution": "Proposed at the workshop.",
                },
            ),
        },
        INITIATIVE,
    ),
    "/api/v1/initiatives/{id}/transfer-log": Route(
        {
            "GET": Rule(LOG_KEEPERS),
            "POST": Rule(
                LOG_KEEPERS,
                CREATED,
                {
                    "conveyed_on": "2026-04-01",
                    "channel": "meeting",
                    "conveyor_kind": "facilitator",
                    "conveyed_by": "The facilitators",
                    "idea": "A joint river commission",
                    "body": "Ministry of Agriculture",
                },
            ),
        },
        INITIATIVE,
    ),
    "/api/v1/transfer-log/{id}": Route(
        {"PATCH": Rule(LOG_KEEPERS, OK, {"reaction": "Interested"})}, {"id": "entry"}
    ),
    "/api/v1/initiatives/{id}/track-one-events": Route(
        {
            "GET": Rule(LOG_KEEPERS),
            "POST": Rule(
                LOG_KEEPERS,
                CREATED,
                {"happened_on": "2026-04-02", "body": "Ministry", "description": "A meeting."},
            ),
        },
        INITIATIVE,
    ),
    # the back-channel (the path parameters are the API's own names)
    "/api/v1/initiatives/{initiative_id}/back-channel/messages": Route(
        {
            "GET": Rule(SIDES | RUNNING),
            "POST": Rule(SIDES, CREATED, {"to_party": None, "text": "For the facilitators."}),
        }
    ),
    "/api/v1/back-channel/messages/{message_id}/carry": Route({"POST": Rule(RUNNING)}, BC_AWAITING),
    "/api/v1/back-channel/messages/{message_id}/propose": Route(
        {"POST": Rule(RUNNING, OK, {"text": "Reworded."})}, BC_AWAITING
    ),
    "/api/v1/back-channel/messages/{message_id}/hold": Route(
        {"POST": Rule(RUNNING, OK, {"reason": "Not yet."})}, BC_AWAITING
    ),
    "/api/v1/back-channel/messages/{message_id}/withdraw": Route(
        {"POST": Rule(SENDER)}, BC_AWAITING
    ),
    "/api/v1/back-channel/messages/{message_id}/accept": Route({"POST": Rule(SENDER)}, BC_PROPOSED),
    "/api/v1/back-channel/messages/{message_id}/edit": Route(
        {"POST": Rule(SENDER, OK, {"text": "In my words."})}, BC_PROPOSED
    ),
    "/api/v1/back-channel/messages/{message_id}/brief": Route(  # carried: Up to Down
        {"POST": Rule(RUNNING, OK, {"brief": "{draft}"})}, {"message_id": "bc_carried"}
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/caucus": Route({"GET": Rule(SIDES)}),
    "/api/v1/initiatives/{initiative_id}/back-channel/caucus/posts": Route(
        {"POST": Rule(SIDES, CREATED, {"text": "Our red lines?"})}
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/caucus/position": Route(
        {"POST": Rule(SIDES, OK, {"text": "Flow first."})}
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/continuity": Route({"GET": Rule(RUNNING)}),
    "/api/v1/initiatives/{initiative_id}/back-channel/caucus/facilitators": Route(
        {"POST": Rule(SIDES, OK, {"included": False})}
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/caucuses": Route({"GET": Rule(RUNNING)}),
    "/api/v1/initiatives/{initiative_id}/back-channel/expiry": Route(
        {"POST": Rule(CONVENING, OK, {"days": 90})}
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/exchanges": Route(
        {
            "GET": Rule(RUNNING | RECIPIENT | {OTHER_LIAISON}),  # a liaison: their own ([])
            "POST": Rule(CONVENING, CREATED, {"name": "Ministries"}),
        }
    ),
    "/api/v1/back-channel/exchanges/{exchange_id}/voices": Route(
        {"POST": Rule(CONVENING, OK, {"user": "{liaison_user}", "party": "{party}"})},
        {"exchange_id": "exchange"},
    ),
    "/api/v1/back-channel/exchanges/{exchange_id}/voices/{user_id}": Route(
        {"DELETE": Rule(CONVENING)},
        {"exchange_id": "exchange", "user_id": "liaison_user"},
    ),
    "/api/v1/back-channel/exchanges/{exchange_id}/close": Route(
        {"POST": Rule(CONVENING)}, {"exchange_id": "exchange"}
    ),
    "/api/v1/back-channel/exchanges/{exchange_id}/messages": Route(
        {
            "GET": Rule(RECIPIENT),
            "POST": Rule(RECIPIENT, CREATED, {"to_party": "{party_down}", "text": "Gauges?"}),
        },
        {"exchange_id": "exchange"},
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/check-ins": Route(
        {"POST": Rule(RUNNING, CREATED, {"due_on": "2099-01-15", "note": "Both sides."})}
    ),
    "/api/v1/initiatives/{initiative_id}/back-channel/handover": Route(
        {"POST": Rule(RUNNING, CREATED, {"text": "Downstream prefers Fridays."})}
    ),
}


# -- formats: Sustained Dialogue, listening circles, joint texts ------------------------------
# D1 is a problem-solving workshop: what belongs to a Sustained Dialogue or a listening circle
# is refused there with 409 naming the format (pages: a message), after the permission check.
OUT_OF_FORMAT = "D1 is a workshop: a Sustained Dialogue's or a circle's step is refused (409)"
IN_TURN = "the joint text's steps go in order: a step taken too early or twice is a 409"
DRAFTED = frozenset({200, 201, 400, 409})
PAGES |= {
    "sustained:group": Route({"GET": Rule(IN_D1)}),
    "sustained:group-act": Route(
        {"POST": Rule(IN_D1, MOVED, {"identity": "Farmers"})}, {"act": "=map"}
    ),
    "sustained:desk": Route({"GET": Rule(WATCHING)}),
    "sustained:desk-act": Route(
        {"POST": Rule(RUNNING, MOVED, {"stage": "2", "marker": "Agreed to talk."})},
        {"act": "=stage"},
    ),
    "circles:circle": Route(
        {"GET": Rule(IN_D1), "POST": Rule(IN_D1, MOVED, {"text": "I listened."})}
    ),
    "circles:desk": Route({"GET": Rule(RUNNING)}),  # observers are outside the circle
    "circles:desk-act": Route(
        {"POST": Rule(RUNNING, MOVED, {"prompt": "What brings you?"})}, {"act": "=open"}
    ),
    "jointtext:text": Route({"GET": Rule(IN_D1)}),
    "jointtext:text-act": Route(
        {"POST": Rule(IN_D1, MOVED, {"text": "A new paragraph."})}, {"act": "=amend"}
    ),
    "jointtext:desk": Route({"GET": Rule(WATCHING)}),
    "jointtext:ranking": Route({"GET": Rule(WATCHING)}),
    "jointtext:desk-act": Route(
        {"POST": Rule(RUNNING, MOVED, {"kind": "non-paper", "title": "Water"})},
        {"act": "=start"},
    ),
}
_CONFLICT = frozenset({409})
API |= {
    "/api/v1/dialogues/{id}/sustained": Route({"GET": Rule(WATCHING | IN_D1)}, DIALOGUE),
    "/api/v1/dialogues/{id}/sustained/stage": Route(
        {"POST": Rule(RUNNING, _CONFLICT, {"stage": 2, "marker": "x"}, why=OUT_OF_FORMAT)},
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/sustained/memorandum": Route(
        {"PUT": Rule(RUNNING, _CONFLICT, {"summary": "s"}, why=OUT_OF_FORMAT)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/sustained/map": Route(
        {"POST": Rule(RUNNING | VOTER, _CONFLICT, {"identity": "x"}, why=OUT_OF_FORMAT)},
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/sustained/scenarios": Route(
        {"POST": Rule(RUNNING | VOTER, _CONFLICT, {"title": "x"}, why=OUT_OF_FORMAT)},
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/circle": Route({"GET": Rule(RUNNING | IN_D1)}, DIALOGUE),
    "/api/v1/dialogues/{id}/circle/reflections": Route(
        {"POST": Rule(VOTER, _CONFLICT, {"text": "I listened."}, why=OUT_OF_FORMAT)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/circle/rounds": Route(
        {"POST": Rule(RUNNING, _CONFLICT, {"prompt": "Why?"}, why=OUT_OF_FORMAT)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/circle/gatherings": Route(
        {"POST": Rule(RUNNING, _CONFLICT, why=OUT_OF_FORMAT)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/circle/rhythm": Route(
        {"PUT": Rule(RUNNING, _CONFLICT, {"next_on": "2026-12-01"}, why=OUT_OF_FORMAT)},
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/joint-text": Route(
        {
            "GET": Rule(WATCHING | IN_D1),
            "POST": Rule(RUNNING, DRAFTED, {"kind": "non-paper", "title": "W"}, why=IN_TURN),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/joint-text/versions": Route(
        {"POST": Rule(RUNNING, DRAFTED, {"paragraphs": ["One."]}, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/common-ground": Route(
        {"POST": Rule(RUNNING, DRAFTED, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/amendments": Route(
        {"POST": Rule(VOTER, DRAFTED, {"text": "A paragraph."}, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/ranking": Route(
        {
            "GET": Rule(WATCHING | IN_D1),
            "POST": Rule(RUNNING, DRAFTED, {"versions": [1, 2]}, why=IN_TURN),
        },
        DIALOGUE,
    ),
    "/api/v1/dialogues/{id}/joint-text/ballots": Route(
        {"POST": Rule(VOTER, DRAFTED, {"ranking": [1]}, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/agreement": Route(
        {"POST": Rule(RUNNING, DRAFTED, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/distribution": Route(
        {"PUT": Rule(RUNNING, DRAFTED, {"recipients": ["A ministry"]}, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/publication": Route(
        {"POST": Rule(RUNNING, DRAFTED, {"version": 1}, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/approvals": Route(
        {"POST": Rule(VOTER, DRAFTED, why=IN_TURN)}, DIALOGUE
    ),
    "/api/v1/dialogues/{id}/joint-text/publish": Route(
        {"POST": Rule(RUNNING, DRAFTED, why=IN_TURN)}, DIALOGUE
    ),
}

# Routes that show risk profiles: a convener sees those shared with them and never one shared
# with nobody or with someone else (canary notes;
# tests/security/test_it_shows_risk_profiles_only_to_whom_they_were_shared.py).
SHARED_PROFILES_ONLY = ("consent:risk-profiles", "/api/v1/dialogues/{id}/risk-profiles")


@dataclass(frozen=True)
class Probe:
    """A request whose path is the caller's own but whose body names someone else's object.

    It must be refused (the API: 4xx; pages: a denial, a form error or a message, never a
    5xx) and must leave the database unchanged.
    """

    kind: str  # "page" or "api"
    key: str  # as in PAGES or API
    method: str
    role: str
    data: Mapping[str, Any] | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    query: str = ""


VOTE_ON = {"vote": "agree"}
PROBES: list[Probe] = [
    # votes and statements of another dialogue, through the caller's own dialogue
    Probe(
        "api",
        "/api/v1/dialogues/{id}/votes",
        "POST",
        PARTICIPANT,
        {"statement": "{foreign_statement}", **VOTE_ON},
    ),
    Probe(
        "api",
        "/api/v1/dialogues/{id}/votes",
        "POST",
        PARTICIPANT,
        {"statement": "{far_statement}", **VOTE_ON},
    ),
    Probe(
        "page",
        "dialogues:vote",
        "POST",
        PARTICIPANT,
        {"statement": "{foreign_statement}", **VOTE_ON},
    ),
    Probe(
        "api",
        "/api/v1/dialogues/{id}/statements/{sid}/moderation",
        "POST",
        FACILITATOR,
        {"state": "rejected"},
        {"sid": "foreign_statement"},
    ),
    Probe(
        "api",
        "/api/v1/dialogues/{id}/statements/{sid}/moderation",
        "POST",
        CONVENER,
        {"state": "rejected"},
        {"sid": "far_statement"},
    ),
    Probe(
        "page",
        "dialogues:moderation",
        "POST",
        FACILITATOR,
        {"action": "moderate", "statement": "{foreign_statement}", "state": "rejected"},
    ),
    # someone else's statement
    Probe(
        "api",
        "/api/v1/dialogues/{id}/statements/{sid}",
        "DELETE",
        PARTICIPANT,
        params={"sid": "others_statement"},
    ),
    Probe(
        "page",
        "dialogues:delete-statement",
        "POST",
        PARTICIPANT,
        params={"statement_id": "others_statement"},
    ),
    # a membership of another initiative, through the caller's own members page
    Probe(
        "page",
        "initiatives:members",
        "POST",
        CONVENER,
        {"action": "remove", "membership": "{far_membership}"},
    ),
    # an invitation of another dialogue, revoked through the caller's own dialogue
    Probe(
        "page",
        "dialogues:revoke-invitation",
        "POST",
        CONVENER,  # runs both dialogues of A, but names D2's invitation through D1
        params={"invitation_id": "foreign_invitation"},
    ),
    Probe(
        "api",
        "/api/v1/dialogues/{id}/invitations/{iid}",
        "DELETE",
        FACILITATOR,
        params={"iid": "far_invitation"},
    ),
    # parties, initiatives and briefs of another initiative
    Probe(
        "api",
        "/api/v1/dialogues/{id}/invitations",
        "POST",
        FACILITATOR,
        {"party": "{far_party}", "track": 2},
    ),
    Probe(
        "page",
        "dialogues:invitations",
        "POST",
        FACILITATOR,
        {
            "party": "{far_party}",
            "track": "2",
            "role": "participant",
            "expires_in_days": "7",
            "count": "1",
        },
    ),
    Probe(
        "api",
        "/api/v1/dialogues",
        "POST",
        FACILITATOR,
        {
            "title": "Elsewhere",
            "format": "living-room",
            "confidentiality": "chatham-house",
            "initiative": "{far_initiative}",
        },
    ),
    Probe(
        "api",
        "/api/v1/dialogues",
        "POST",
        FACILITATOR,  # runs D1, does not convene A
        {
            "title": "Another",
            "format": "living-room",
            "confidentiality": "chatham-house",
            "initiative": "{initiative}",
        },
    ),
    Probe(
        "page",
        "dialogues:new",
        "POST",
        FACILITATOR,
        {
            "initiative": "{far_initiative}",
            "title": "Elsewhere",
            "format": "living-room",
            "confidentiality": "chatham-house",
        },
    ),
    Probe(
        "api",
        "/api/v1/initiatives/{id}/transfer-log",
        "POST",
        CONVENER,
        {
            "conveyed_on": "2026-04-01",
            "channel": "meeting",
            "conveyor_kind": "convener",
            "conveyed_by": "Us",
            "idea": "An idea",
            "body": "A ministry",
            "brief": "{far_brief}",
        },
    ),
    Probe("api", "/api/v1/transfer-log/{id}", "PATCH", CONVENER, {"brief": "{far_brief}"}),
    # an outcome may link only its own initiative's brief
    Probe(
        "api",
        "/api/v1/initiatives/{id}/outcomes",
        "POST",
        CONVENER,
        {
            "happened_on": "2026-11-02",
            "social_actor": "A water board",
            "change": "Shared its gauge data.",
            "contribution": "Proposed at the workshop.",
            "brief": "{far_brief}",
        },
    ),
    # a withdrawn participant's recovery code is dead
    Probe(
        "api",
        "/api/v1/dialogues/{id}/recover",
        "POST",
        ANONYMOUS,
        {"handle": "{withdrawn_handle}", "recovery_code": "{withdrawn_code}"},
    ),
    Probe(
        "page",
        "dialogues:recover",
        "POST",
        ANONYMOUS,
        {"dialogue": "{dialogue}", "handle": "{withdrawn_handle}", "code": "{withdrawn_code}"},
    ),
    # a session that is not the dialogue's
    Probe("api", "/api/v1/dialogues/{id}/brief", "GET", FACILITATOR, query="format=md&session=99"),
    # a copy withdrawn through another brief's address
    Probe("page", "transfer:revoke", "POST", FACILITATOR, params={"brief_id": "draft"}),
    # the back-channel: a party of another initiative, a message to one's own side, a reply
    # to a message not carried to the caller's side
    Probe(
        "api",
        "/api/v1/initiatives/{initiative_id}/back-channel/messages",
        "POST",
        PARTICIPANT,
        {"to_party": "{far_party}", "text": "To the pass."},
    ),
    Probe(
        "api",
        "/api/v1/initiatives/{initiative_id}/back-channel/messages",
        "POST",
        PARTICIPANT,
        {"to_party": "{party}", "text": "To ourselves."},
    ),
    Probe(
        "api",
        "/api/v1/initiatives/{initiative_id}/back-channel/messages",
        "POST",
        OTHER_PARTICIPANT,
        {"text": "A reply.", "reply_to": "{bc_awaiting}"},
    ),
    Probe(
        "page",
        "backchannel:channel",
        "POST",
        PARTICIPANT,
        {"action": "send", "to_party": "{far_party}", "text": "To the pass."},
    ),
]
