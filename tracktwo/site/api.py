"""The JSON API under /api/v1 (django-ninja); each domain app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="tracktwo", version="1", urls_namespace="api")
