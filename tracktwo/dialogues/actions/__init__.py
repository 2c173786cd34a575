"""Every state change of the dialogues app, for views and the API to import from one place.

Each action is one transaction, checks the caller's permission itself, seals what is
confidential and writes an audit row where the action is sensitive. By subject:

- :mod:`~tracktwo.dialogues.actions.setup`: dialogues, their ground rules, sharing results;
- :mod:`~tracktwo.dialogues.actions.sessions`: meetings and their phases;
- :mod:`~tracktwo.dialogues.actions.meetings`: the agenda, a meeting's regime, timed
  rounds, side notes, the opening's acknowledgement, held critiques;
- :mod:`~tracktwo.dialogues.actions.phase_rules`: which votes the current meeting and
  phase take (``allowed_votes``), the one place votes are gated;
- :mod:`~tracktwo.dialogues.actions.invitations`: invitations, joining, recovery,
  withdrawal;
- :mod:`~tracktwo.dialogues.actions.identities`: participants' real identities (conveners);
- :mod:`~tracktwo.dialogues.actions.contributions`: statements, moderation, votes;
- :mod:`~tracktwo.dialogues.actions.notices`: marking a participant's notices read;
- :mod:`~tracktwo.dialogues.actions.polis_exchange`: Pol.is import and (audited) export.

An initiative's own actions (sides, members, back-channel, keys) are in
:mod:`tracktwo.initiatives.actions`.
"""

from tracktwo.dialogues.actions.contributions import (
    cast_vote,
    delete_own_statement,
    moderate_statement,
    write_statement,
)
from tracktwo.dialogues.actions.identities import (
    Identity,
    erase_identity,
    list_identities,
    record_identity,
    view_identity,
)
from tracktwo.dialogues.actions.invitations import (
    Joined,
    accept_ground_rules,
    create_invitation,
    join,
    participant_by_token,
    recover,
    revoke_invitation,
    withdraw,
)
from tracktwo.dialogues.actions.meetings import (
    acknowledge_opening,
    clear_round,
    keep_held_critique,
    set_agenda,
    set_meeting_regime,
    start_round,
    write_meeting_note,
)
from tracktwo.dialogues.actions.notices import mark_notices_read
from tracktwo.dialogues.actions.sessions import (
    advance_phase,
    set_phase,
    start_session,
    write_session_notes,
)
from tracktwo.dialogues.actions.setup import (
    create_dialogue,
    share_results,
    update_dialogue,
    update_ground_rules,
)

__all__ = [
    "Identity",
    "Joined",
    "accept_ground_rules",
    "acknowledge_opening",
    "advance_phase",
    "cast_vote",
    "clear_round",
    "create_dialogue",
    "create_invitation",
    "delete_own_statement",
    "erase_identity",
    "join",
    "keep_held_critique",
    "list_identities",
    "mark_notices_read",
    "moderate_statement",
    "participant_by_token",
    "record_identity",
    "recover",
    "revoke_invitation",
    "set_agenda",
    "set_meeting_regime",
    "set_phase",
    "share_results",
    "start_round",
    "start_session",
    "update_dialogue",
    "update_ground_rules",
    "view_identity",
    "withdraw",
    "write_meeting_note",
    "write_session_notes",
    "write_statement",
]
