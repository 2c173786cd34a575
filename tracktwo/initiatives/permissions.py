"""Who may do what: object-level checks every view, API route and action uses.

Roles come from :class:`~tracktwo.dialogues.models.Membership`:

- a **convener** (initiative-wide) may do everything in the initiative, and is the only
  role that may see participants' recorded real identities;
- a **facilitator** (of one dialogue, or initiative-wide) runs dialogues: invitations,
  moderation, phases, dashboards;
- an **observer** (of one dialogue, or initiative-wide) may look but not act;
- a **liaison** gets nothing here: the transfer app shows them the briefs sent to them.

Being a site superuser grants nothing: confidentiality does not depend on who runs the
server. A secret dialogue is visible only to those who may observe it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.db.models import Q
from django.utils.translation import gettext as _

from tracktwo.dialogues.models import Dialogue, Participant
from tracktwo.initiatives.models import Initiative, Membership
from tracktwo.practice.errors import NotAllowed
from tracktwo.practice.formats import MemberRole

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    AnyUser = AbstractBaseUser | AnonymousUser

RUNNING_ROLES = (MemberRole.CONVENER, MemberRole.FACILITATOR)
WATCHING_ROLES = (MemberRole.CONVENER, MemberRole.FACILITATOR, MemberRole.OBSERVER)


def _pk(user: AnyUser) -> int:
    return int(user.pk or 0)


def _signed_in(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _roles_over(user: AnyUser, initiative_id: int, dialogue_id: int | None) -> set[str]:
    """The user's roles that apply to the initiative (wide) or to this dialogue."""
    where = Q(dialogue__isnull=True)
    if dialogue_id is not None:
        where |= Q(dialogue_id=dialogue_id)
    rows = Membership.objects.filter(where, user_id=_pk(user), initiative_id=initiative_id)
    return set(rows.values_list("role", flat=True))


def role_in(user: AnyUser | None, initiative: Initiative) -> str | None:
    """The user's initiative-wide role, if any."""
    if not _signed_in(user):
        return None
    assert user is not None
    role = (
        Membership.objects.filter(user_id=_pk(user), initiative=initiative, dialogue__isnull=True)
        .values_list("role", flat=True)
        .first()
    )
    return role


def can_convene(user: AnyUser | None, initiative: Initiative) -> bool:
    """Conveners manage the initiative: members, dialogues, identities, wipe."""
    if not _signed_in(user):
        return False
    assert user is not None
    return MemberRole.CONVENER in _roles_over(user, initiative.pk, None)


def may_start_dialogue(user: AnyUser | None) -> bool:
    """Whether ``user`` may start a dialogue: a convener (in a new initiative too) or a
    convener or facilitator of a whole initiative (in that initiative)."""
    if not _signed_in(user):
        return False
    assert user is not None
    if getattr(user, "is_convener", False):
        return True
    return Membership.objects.filter(
        user_id=_pk(user),
        dialogue__isnull=True,
        role__in=(MemberRole.CONVENER, MemberRole.FACILITATOR),
    ).exists()


def can_facilitate(user: AnyUser | None, dialogue: Dialogue) -> bool:
    """Conveners, and facilitators of this dialogue or of the whole initiative."""
    if not _signed_in(user):
        return False
    assert user is not None
    return bool(_roles_over(user, dialogue.initiative_id, dialogue.pk) & set(RUNNING_ROLES))


def can_translate(user: AnyUser | None, dialogue: Dialogue) -> bool:
    """Whoever may facilitate, and translators of this dialogue or of the whole initiative.

    A translator sees statements' texts and translates them; never who wrote or voted
    what, never the dashboard, the participants or their identities.
    """
    if not _signed_in(user):
        return False
    assert user is not None
    roles = _roles_over(user, dialogue.initiative_id, dialogue.pk)
    return bool(roles & {*RUNNING_ROLES, MemberRole.TRANSLATOR})


def can_observe(user: AnyUser | None, dialogue: Dialogue) -> bool:
    """Whoever may facilitate, and observers of this dialogue or of the whole initiative.

    This is also who may know a secret dialogue exists.
    """
    if not _signed_in(user):
        return False
    assert user is not None
    return bool(_roles_over(user, dialogue.initiative_id, dialogue.pk) & set(WATCHING_ROLES))


def analysis_audience(
    user: AnyUser | None, dialogue: Dialogue
) -> Literal["facilitator", "participant"]:
    """Which cut of the live analysis a signed-in watcher gets (the caller checked they may).

    Facilitators (and conveners) run the dialogue and see everything, unsuppressed.
    Observers do not run it -- a funder, an evaluator, a colleague looking on -- so theirs
    is what leaves the facilitators: small cells withheld, results in batches, no map of
    individual participants.
    """
    return "facilitator" if can_facilitate(user, dialogue) else "participant"


def can_see_initiative(user: AnyUser | None, initiative: Initiative) -> bool:
    """Any member except a liaison (liaisons see only briefs sent to them)."""
    if not _signed_in(user):
        return False
    assert user is not None
    return (
        Membership.objects.filter(user_id=_pk(user), initiative=initiative)
        .exclude(role__in=(MemberRole.LIAISON, MemberRole.TRANSLATOR))
        .exists()
    )


def is_liaison(user: AnyUser | None, initiative: Initiative) -> bool:
    """A Track One liaison of the initiative (the transfer app decides what they see)."""
    if not _signed_in(user):
        return False
    assert user is not None
    return Membership.objects.filter(
        user_id=_pk(user), initiative=initiative, role=MemberRole.LIAISON
    ).exists()


def visible_dialogues(user: AnyUser | None, initiative: Initiative) -> list[Dialogue]:
    """The dialogues of the initiative the user may know of, secret ones included only if
    they may observe them."""
    if not _signed_in(user):
        return []
    assert user is not None
    roles = Membership.objects.filter(user_id=_pk(user), initiative=initiative).exclude(
        role__in=(MemberRole.LIAISON, MemberRole.TRANSLATOR)
    )
    if roles.filter(dialogue__isnull=True).exists():
        return list(initiative.dialogues.order_by("id"))
    ids = roles.values_list("dialogue_id", flat=True)
    return list(Dialogue.objects.filter(pk__in=ids).order_by("id"))


def participant_may_act(participant: Participant, dialogue: Dialogue) -> bool:
    """A participant acts only in their own dialogue, and only until they withdraw."""
    return participant.dialogue_id == dialogue.pk and participant.withdrawn_at is None


def participant_may_see_results(participant: Participant, dialogue: Dialogue) -> bool:
    """Participants see the group's results once the facilitator shares them."""
    return participant_may_act(participant, dialogue) and dialogue.results_shared


def require(allowed: bool, what: str) -> None:
    """Raise :class:`NotAllowed` with ``what`` (e.g. "moderate statements") unless allowed."""
    if not allowed:
        raise NotAllowed(_("you may not %(what)s here") % {"what": what})
