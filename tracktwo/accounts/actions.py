"""State changes of the accounts app: accounts, TOTP devices, API tokens, web sessions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracktwo.accounts import totp
from tracktwo.accounts.auth import USER_TOKEN_PREFIX
from tracktwo.accounts.models import ApiToken, TotpDevice, User, UserSession
from tracktwo.safety import audit
from tracktwo.safety.audit import Actor
from tracktwo.safety.crypto import token_digest


class AccountError(Exception):
    """A request the accounts app refuses, with a message for the person who made it."""

    http_status = 400


# --- accounts -----------------------------------------------------------------------------


def create_account(
    username: str,
    password: str | None = None,
    email: str = "",
    convener: bool = False,
    actor: Actor | None = None,
    operator: bool = False,
) -> User:
    """A new active account; without a password it can use only API tokens until one is set.

    Audited as ``account.created`` by ``actor`` (default: the operator, on the command line).
    With ``operator`` the account may also use the operator's admin (``is_staff``).
    """
    username = username.strip()
    if not username:
        raise AccountError(_("the name must not be empty"))
    try:
        User.username_validator(username)
    except ValidationError:
        raise AccountError(
            _("the name %(name)r may hold only letters, digits and @ . + - _") % {"name": username}
        ) from None
    if len(username) > 150:
        raise AccountError(_("the name must be at most 150 characters long"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountError(_("%(email)r is not an email address") % {"email": email}) from None
    user = User(username=username, email=email, is_convener=convener, is_staff=operator)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise AccountError(_("the password is refused: ") + " ".join(exc.messages)) from None
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit.record(
                "account.created",
                actor=actor or Actor.operator(),
                target_type="user",
                target_id=user.pk,
                details={
                    "convener": convener,
                    "operator": operator,
                    "password": password is not None,
                },
            )
    except IntegrityError:
        raise AccountError(
            _("an account named %(name)r already exists") % {"name": username}
        ) from None
    return user


# --- API tokens ---------------------------------------------------------------------------


@transaction.atomic
def issue_token(user: User, name: str, actor: Actor | None = None) -> tuple[ApiToken, str]:
    """A new API token for ``user``: returns the row and the raw token (shown once, never kept).

    Audited as ``api_token.issued`` by ``actor`` (default: the user, from the tokens page).
    """
    name = name.strip()
    if not name:
        raise AccountError(_("give the token a name"))
    if len(name) > 80:
        raise AccountError(_("the token name must be at most 80 characters long"))
    raw = USER_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw))
    audit.record(
        "api_token.issued",
        actor=actor or Actor.user(user),
        target_type="api_token",
        target_id=token.pk,
        details={"user": user.pk},
    )
    return token, raw


@transaction.atomic
def revoke_token(user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when it is not theirs or already revoked."""
    updated = ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit.record(
            "api_token.revoked", actor=Actor.user(user), target_type="api_token", target_id=token_id
        )
    return updated == 1


# --- TOTP ---------------------------------------------------------------------------------


def confirmed_device(user: User) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def start_totp_enrolment(user: User, restart: bool = False) -> tuple[TotpDevice, str]:
    """The user's unconfirmed device and its seed, made (or remade) as needed."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed:
        raise AccountError(_("a second factor is already set up: disable it first"))
    if device is None or restart:
        secret = totp.new_secret()
        device, _created = TotpDevice.objects.update_or_create(
            user=user,
            defaults={"secret_sealed": totp.seal_secret(user.pk, secret), "last_step": 0},
        )
        return device, secret
    return device, totp.open_secret(user.pk, device.secret_sealed)


def _accept_code(device: TotpDevice, code: str, at: float | None) -> bool:
    """True once per time step: the step must be later than the last one accepted."""
    normalised = totp.normalise_code(code)
    if normalised is None:
        return False
    step = totp.matching_step(
        totp.open_secret(device.user_id, device.secret_sealed), normalised, at
    )
    if step is None:
        return False
    # Conditional UPDATE: two concurrent uses of one code cannot both succeed.
    return TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step) == 1


@transaction.atomic
def confirm_totp(user: User, code: str, at: float | None = None) -> bool:
    """Finish enrolment with a first code from the authenticator."""
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is None or not _accept_code(device, code, at):
        return False
    TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
    audit.record("totp.enrolled", actor=Actor.user(user), target_type="user", target_id=user.pk)
    return True


def verify_totp(user: User, code: str, at: float | None = None) -> bool:
    """A sign-in code: right for now (one step of drift) and never used before."""
    device = confirmed_device(user)
    return device is not None and _accept_code(device, code, at)


def disable_totp(user: User, code: str, at: float | None = None) -> None:
    """Remove the second factor (refused where it is required); needs a current code."""
    if settings.TRACKTWO_TOTP_REQUIRED:
        raise AccountError(_("a second factor is required on this site and cannot be removed"))
    if not verify_totp(user, code, at):
        raise AccountError(_("the code is wrong or already used"))
    with transaction.atomic():
        TotpDevice.objects.filter(user=user).delete()
        audit.record("totp.removed", actor=Actor.user(user), target_type="user", target_id=user.pk)


# --- web sessions -------------------------------------------------------------------------


def device_label(user_agent: str) -> str:
    """A coarse, non-identifying label such as "Firefox on Android" (no version, no IP)."""
    agent = user_agent.lower()
    browser = next(
        (
            label
            for needle, label in (
                ("firefox", "Firefox"),
                ("edg/", "Edge"),
                ("opr/", "Opera"),
                ("chrome", "Chrome"),
                ("chromium", "Chromium"),
                ("safari", "Safari"),
            )
            if needle in agent
        ),
        "",
    )
    system = next(
        (
            label
            for needle, label in (
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iPadOS"),
                ("windows", "Windows"),
                ("mac os", "macOS"),
                ("linux", "Linux"),
            )
            if needle in agent
        ),
        "",
    )
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def record_session(user: User, session_key: str, user_agent: str = "") -> UserSession:
    now = timezone.now()
    row, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "last_seen_at": now, "device": device_label(user_agent)[:60]},
    )
    return row


def touch_session(user: User, session_key: str, user_agent: str = "") -> None:
    """Note that a session was seen now (callers limit this to about once a minute)."""
    if not UserSession.objects.filter(session_key=session_key, user=user).update(
        last_seen_at=timezone.now()
    ):
        record_session(user, session_key, user_agent)


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def revoke_sessions(session_keys: Iterable[str]) -> int:
    """End these sessions server-side, whatever the session engine; returns how many there were.

    Reusable for participants' web sessions: pass the keys recorded for them.
    """
    keys = [key for key in set(session_keys) if key]
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for key in keys:
        store = store_class(session_key=key)
        if store.exists(key):
            ended += 1
        store.delete(key)
    UserSession.objects.filter(session_key__in=keys).delete()
    return ended


@transaction.atomic
def revoke_user_session(user: User, session_id: int) -> bool:
    """End one of ``user``'s own sessions (by its row id); False when it is not theirs."""
    key = (
        UserSession.objects.filter(pk=session_id, user=user)
        .values_list("session_key", flat=True)
        .first()
    )
    if key is None:
        return False
    revoke_sessions([key])
    audit.record("sessions.revoked", actor=Actor.user(user), details={"count": 1})
    return True


@transaction.atomic
def revoke_other_sessions(user: User, keep_session_key: str | None) -> int:
    """End every session of ``user`` except ``keep_session_key``."""
    keys = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    ended = revoke_sessions(keys.values_list("session_key", flat=True))
    if ended:
        audit.record("sessions.revoked", actor=Actor.user(user), details={"count": ended})
    return ended


# --- the operator's flags (the admin at settings.TRACKTWO_ADMIN_PATH) ----------------------

ACCOUNT_FLAGS = ("is_convener", "is_active", "is_staff")


@transaction.atomic
def set_account_flags(user: User, actor: Actor, **flags: bool) -> list[str]:
    """Set the operator's flags of ``user`` (``is_convener``, ``is_active``, ``is_staff``).

    Returns the names of the flags that changed; audited as ``account.flags_changed`` with
    their new values (booleans and the user's id only) when any did.
    """
    unknown = set(flags) - set(ACCOUNT_FLAGS)
    if unknown:
        raise AccountError(_("unknown account flags: %(flags)s") % {"flags": sorted(unknown)})
    stored = User.objects.select_for_update().get(pk=user.pk)
    changed = [name for name, value in flags.items() if getattr(stored, name) != bool(value)]
    for name in changed:
        setattr(stored, name, bool(flags[name]))
        setattr(user, name, bool(flags[name]))
    if changed:
        stored.save(update_fields=changed)
        audit.record(
            "account.flags_changed",
            actor=actor,
            target_type="user",
            target_id=user.pk,
            details={name: bool(flags[name]) for name in changed},
        )
    return changed
