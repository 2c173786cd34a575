"""The operator's admin holds the account model and nothing else: no dialogue, participant,
statement, vote or any model registered as confidential, and Django's default admin site
(which ``autodiscover`` would fill) is neither filled nor routed."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.urls import get_resolver, resolve, reverse

from tracktwo.accounts.admin import operator_site
from tracktwo.accounts.models import User
from tracktwo.safety.registry import confidential_rows, dialogue_model, key_owner

CONFIDENTIAL_APPS = (
    "dialogues",
    "insight",
    "transfer",
    "backchannel",
    "evaluation",
    "sustained",
    "circles",
    "jointtext",
    "consent",
    "initiatives",
    "safety",
)


def test_it_registers_only_the_account_model() -> None:
    assert set(operator_site._registry) == {User}
    admin_fields = set(operator_site._registry[User].get_fields(None))  # type: ignore[arg-type]
    assert admin_fields == {"username", "is_convener", "is_active", "is_staff"}


def test_it_registers_nothing_confidential() -> None:
    registered = set(operator_site._registry)
    confidential = {rows.model for rows in confidential_rows()}
    confidential |= {dialogue_model().model, key_owner()[0]}
    for label in CONFIDENTIAL_APPS:
        confidential |= set(apps.get_app_config(label).get_models())
    assert not registered & confidential


def test_it_neither_fills_nor_routes_the_default_admin_site() -> None:
    assert admin.site._registry == {}
    mounted = [
        entry
        for entry in get_resolver().url_patterns
        if getattr(entry, "app_name", None) == "admin"
    ]
    assert len(mounted) == 1
    assert resolve(reverse("admin:login")).func == operator_site.login
