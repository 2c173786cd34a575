"""The dialogues JSON API under /api/v1 (see ``docs/api.md``): one router of routers.

- :mod:`~tracktwo.dialogues.api.dialogues`: dialogues, joining, statements, analysis, phases;
- :mod:`~tracktwo.dialogues.api.voting`: the participants' routes and the vote hot path;
- :mod:`~tracktwo.dialogues.api.invitations`: making, listing and revoking invitations;
- :mod:`~tracktwo.dialogues.api.translations`: translations, their queue and review,
  the dialogue's languages, the analysis by language;
- :mod:`~tracktwo.dialogues.api.common`: who is asking, and the answers' shapes.
"""

from ninja import Router

from tracktwo.dialogues.api import dialogues, invitations, meetings, translations, voting

router = Router()
router.add_router("/", dialogues.router)
router.add_router("/", voting.router)
router.add_router("/", invitations.router)
router.add_router("/", meetings.router)
router.add_router("/", translations.router)

__all__ = ["router"]
