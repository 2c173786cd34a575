"""Pages where a signed-in user manages their second factor, API tokens and sessions."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tracktwo.accounts import actions, totp
from tracktwo.accounts.auth import SESSION_TOTP_OK, signed_in_required
from tracktwo.accounts.forms import CodeForm, IdForm, TokenForm
from tracktwo.accounts.models import ApiToken, User, UserSession
from tracktwo.accounts.views import after_sign_in_url


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
@signed_in_required
def totp_page(request: HttpRequest) -> HttpResponse:
    """Enrol (secret, URI and QR code, then a first code) or, where allowed, disable."""
    user = _user(request)
    action = request.POST.get("action", "")
    device = actions.confirmed_device(user)
    form = CodeForm(request.POST if action in {"confirm", "disable"} else None)
    if device is not None:
        if action == "disable" and form.is_valid():
            try:
                actions.disable_totp(user, form.cleaned_data["code"])
            except actions.AccountError as exc:
                form.add_error("code", str(exc))
            else:
                request.session.pop(SESSION_TOTP_OK, None)
                messages.success(request, _("The second factor is removed."))
                return redirect("accounts:totp")
        context = {"enrolled": True, "form": form, "required": settings.TRACKTWO_TOTP_REQUIRED}
        return render(request, "accounts/totp.html", context)
    if action == "confirm" and form.is_valid():
        if actions.confirm_totp(user, form.cleaned_data["code"]):
            request.session[SESSION_TOTP_OK] = True
            ended = actions.revoke_other_sessions(user, request.session.session_key)
            messages.success(request, _("The second factor is set up."))
            if ended:
                messages.info(request, _("Your other sessions were signed out."))
            return redirect(after_sign_in_url(request))
        form.add_error("code", _("The code is wrong or has already been used."))
    secret = actions.start_totp_enrolment(user, restart=action == "restart")[1]
    uri = totp.provisioning_uri(secret, user.get_username())
    context = {
        "enrolled": False,
        "form": form,
        "secret": _grouped(secret),
        "uri": uri,
        "qr_svg": totp.qr_svg(uri, _("QR code to scan with an authenticator app")),
        "required": settings.TRACKTWO_TOTP_REQUIRED,
    }
    return render(request, "accounts/totp.html", context)


@require_http_methods(["GET", "POST"])
@signed_in_required
def tokens_page(request: HttpRequest) -> HttpResponse:
    """List, issue (shown once) and revoke the user's own API tokens."""
    user = _user(request)
    action = request.POST.get("action", "")
    form = TokenForm(request.POST if action == "issue" else None)
    new_token: str | None = None
    status = 200
    if action == "issue" and form.is_valid():
        try:
            new_token = actions.issue_token(user, form.cleaned_data["name"])[1]
        except actions.AccountError as exc:
            form.add_error("name", str(exc))
        else:
            form = TokenForm()
            status = 201
    elif action == "revoke":
        ids = IdForm(request.POST)
        if ids.is_valid() and actions.revoke_token(user, ids.cleaned_data["id"]):
            messages.success(request, _("The token is revoked."))
            return redirect("accounts:tokens")
        return render(request, "errors/404.html", status=404)
    elif request.method == "POST" and action != "issue":
        return render(request, "errors/400.html", status=400)
    tokens = ApiToken.objects.filter(user=user)
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    return render(request, "accounts/tokens.html", context, status=status)


@require_http_methods(["GET", "POST"])
@signed_in_required
def sessions_page(request: HttpRequest) -> HttpResponse:
    """The user's signed-in sessions (no IP addresses); revoke one or all the others."""
    user = _user(request)
    current = request.session.session_key
    action = request.POST.get("action", "")
    if action == "revoke":
        ids = IdForm(request.POST)
        if not ids.is_valid():
            return render(request, "errors/400.html", status=400)
        row = UserSession.objects.filter(pk=ids.cleaned_data["id"], user=user).first()
        if row is None:
            return render(request, "errors/404.html", status=404)
        if row.session_key == current:
            logout(request)  # flushes this session and forgets its row
            return redirect("accounts:sign-in")
        actions.revoke_user_session(user, row.pk)
        messages.success(request, _("The session is signed out."))
        return redirect("accounts:sessions")
    if action == "revoke-others":
        ended = actions.revoke_other_sessions(user, current)
        messages.success(request, _("Other sessions signed out: %(count)d.") % {"count": ended})
        return redirect("accounts:sessions")
    if request.method == "POST":
        return render(request, "errors/400.html", status=400)
    rows = list(UserSession.objects.filter(user=user))
    return render(request, "accounts/sessions.html", {"rows": rows, "current": current})
