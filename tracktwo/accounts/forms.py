"""Forms of the accounts pages (every field labelled; the CSRF token is added by templates)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tracktwo.accounts import totp


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("Name"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 \-]*",
            }
        ),
    )

    def clean_code(self) -> str:
        code = totp.normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(_("Enter the six digits your authenticator app shows."))
        return code


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name (what it is for)"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class IdForm(forms.Form):
    id = forms.IntegerField(min_value=1)
