"""The JSON API under /api/v1 (django-ninja); each domain app adds its router here."""

from ninja import NinjaAPI

from tracktwo.accounts.api import router as accounts_router
from tracktwo.dialogues.api import router as dialogues_router
from tracktwo.safety.api import router as safety_router
from tracktwo.transfer.api import router as transfer_router

api = NinjaAPI(title="tracktwo", version="1", urls_namespace="api")
api.add_router("/", accounts_router)
api.add_router("/", dialogues_router)
api.add_router("/", safety_router)
api.add_router("/", transfer_router)
