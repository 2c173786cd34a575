"""Sign-in in two steps (password, then TOTP when enrolled), sign-out and the accounts home."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.accounts import actions
from tracktwo.accounts.auth import SESSION_TOTP_OK, signed_in_required
from tracktwo.accounts.forms import CodeForm, SignInForm
from tracktwo.accounts.models import User
from tracktwo.safety.ratelimit import ratelimit

PENDING = "tracktwo.pending_sign_in"
PENDING_SECONDS = 300
MAX_CODE_TRIES = 5
BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` if it is a local URL on this site, else None."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def after_sign_in_url(request: HttpRequest, next_url: str | None = None) -> str:
    """``next`` when safe, else ``LOGIN_REDIRECT_URL`` when it exists, else the accounts home."""
    if safe_next(request, next_url):
        return str(next_url)
    target: str = settings.LOGIN_REDIRECT_URL
    try:
        resolve(target)
    except Resolver404:
        return reverse("accounts:home")
    return target


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("since", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return pending


@require_http_methods(["GET", "POST"])
@ratelimit("sign-in", methods=("POST",))
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(after_sign_in_url(request, next_url))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is None:
            form.add_error(None, _("The name or the password is wrong."))
        elif actions.confirmed_device(user) is not None:
            request.session.cycle_key()
            request.session[PENDING] = {
                "user": user.pk,
                "since": int(time.time()),
                "tries": 0,
                "next": next_url,
            }
            return redirect("accounts:sign-in-totp")
        else:
            login(request, user, backend=BACKEND)
            if settings.TRACKTWO_TOTP_REQUIRED:
                messages.info(request, _("This site requires a second factor: set it up now."))
                return redirect("accounts:totp")
            return redirect(after_sign_in_url(request, next_url))
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url or ""})


@require_http_methods(["GET", "POST"])
@ratelimit("sign-in", methods=("POST",))
def sign_in_totp(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Sign in with your name and password first."))
        return redirect("accounts:sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        if user is not None and actions.verify_totp(user, form.cleaned_data["code"]):
            request.session.pop(PENDING, None)
            login(request, user, backend=BACKEND)
            request.session[SESSION_TOTP_OK] = True
            return redirect(after_sign_in_url(request, pending.get("next")))
        pending["tries"] = int(pending.get("tries", 0)) + 1
        if pending["tries"] >= MAX_CODE_TRIES:
            request.session.pop(PENDING, None)
            messages.error(request, _("Too many wrong codes: sign in again."))
            return redirect("accounts:sign-in")
        request.session[PENDING] = pending
        form.add_error("code", _("The code is wrong or has already been used."))
    return render(request, "accounts/sign_in_totp.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        return redirect("accounts:sign-in")
    if not request.user.is_authenticated:
        return redirect("accounts:sign-in")
    return render(request, "accounts/sign_out.html")


@signed_in_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html")
