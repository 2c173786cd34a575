"""The page a one-time set-password link opens (see :mod:`tracktwo.accounts.password_links`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tracktwo.accounts import password_links
from tracktwo.accounts.actions import AccountError
from tracktwo.safety.ratelimit import ratelimit


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("New password (at least 12 characters)"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    again = forms.CharField(
        label=gettext_lazy("The same password again"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, str]:
        data = super().clean() or {}
        if data.get("password") and data.get("again") and data["password"] != data["again"]:
            self.add_error("again", _("The two passwords differ."))
        return data


@require_http_methods(["GET", "POST"])
@ratelimit("sign-in", methods=("POST",))
def set_password(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """Choose a password with a one-time link; an invalid or used link says so (200)."""
    user = password_links.user_of_link(uid, token)
    if user is None:
        return render(request, "accounts/set_password.html", {"invalid": True})
    form = SetPasswordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            password_links.set_password(user, form.cleaned_data["password"])
        except AccountError as error:
            form.add_error("password", str(error))
        else:
            messages.success(request, _("Your password is set. Sign in with it now."))
            return redirect("accounts:sign-in")
    context = {"form": form, "name": user.get_username()}
    return render(request, "accounts/set_password.html", context)
