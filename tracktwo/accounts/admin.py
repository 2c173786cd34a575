"""The operator's admin: accounts and their flags, nothing else (``settings.TRACKTWO_ADMIN_PATH``).

Only ``is_staff`` accounts (operators, made with ``tracktwo facilitator add NAME --operator``)
get in; everyone else is sent to the site's own sign-in page (which applies the TOTP policy)
or refused with 403. The admin shows each account's name and its three flags, and no other
model: dialogues, participants, statements, votes and every sealed model stay out (a
security test asserts the registry). Flag changes go through
:func:`tracktwo.accounts.actions.set_account_flags`, which audits them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, reverse
from django.utils.translation import gettext_lazy as _

from tracktwo.accounts import actions
from tracktwo.accounts.models import User
from tracktwo.safety.audit import Actor


def is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff)


class OperatorSite(admin.AdminSite):
    """The admin with the site's own sign-in: no second, weaker sign-in form."""

    site_header = _("Operator")
    site_title = _("Operator")
    index_title = _("Accounts")
    site_url = "/"
    final_catch_all_view = False
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_operator(request):
                raise PermissionDenied
            response: HttpResponse = inner(request, *args, **kwargs)
            return response

        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("admin:index"))
        if not is_operator(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:index"))


operator_site = OperatorSite(name="admin")


class AccountAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Accounts: name and the operator's flags; no add, no delete, no password, no email."""

    list_display = ("username", "is_convener", "is_active", "is_staff")
    list_editable = ("is_convener", "is_active", "is_staff")
    list_filter = ("is_convener", "is_active", "is_staff")
    search_fields = ("username",)
    fields = ("username", "is_convener", "is_active", "is_staff")
    readonly_fields = ("username",)
    ordering = ("username",)
    actions = None

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are made with `tracktwo facilitator add` (audited)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # deactivate instead: deletion would cascade into records

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def get_urls(self) -> list[URLPattern]:
        """The list and the change form only (no add, delete, history or bare-id redirect)."""
        keep = {"accounts_user_changelist", "accounts_user_change"}
        return [p for p in super().get_urls() if getattr(p, "name", None) in keep]

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        """Only the flags change, through the audited action (never a plain ``obj.save()``)."""
        if self.has_change_permission(request, obj) and change:
            flags = {name: bool(getattr(obj, name)) for name in actions.ACCOUNT_FLAGS}
            actions.set_account_flags(obj, Actor.user(request.user), **flags)


operator_site.register(User, AccountAdmin)
