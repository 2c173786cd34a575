"""One-time links to set a password: for a new account and for an operator's reset.

``tracktwo facilitator add`` (off a terminal) and ``tracktwo facilitator reset`` print
``<base>/accounts/set-password/<uid>/<token>``. The token is Django's password-reset token:
it holds no secret of the account, is signed with ``SECRET_KEY``, expires after
``PASSWORD_RESET_TIMEOUT`` (three days) and stops working as soon as the password changes,
so it is good for one use. Issuing and using a link are audited (ids only).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from tracktwo.accounts.actions import AccountError
from tracktwo.accounts.models import User
from tracktwo.safety import audit
from tracktwo.safety.audit import Actor


def base_url() -> str:
    """The site's address as people reach it: ``TRACKTWO_BASE_URL``, else the local one."""
    configured: str = getattr(settings, "TRACKTWO_BASE_URL", "")
    return configured.rstrip("/") or f"http://127.0.0.1:{settings.PORT}"


def issue_link(user: User, actor: Actor | None = None) -> str:
    """A one-time set-password link for ``user`` (full URL). Audited ``account.password_link``."""
    if not user.is_active:
        raise AccountError(_("the account %(name)r is deactivated") % {"name": user.username})
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    audit.record(
        "account.password_link",
        actor=actor or Actor.operator(),
        target_type="user",
        target_id=user.pk,
    )
    path = reverse("accounts:set-password", kwargs={"uid": uid, "token": token})
    return base_url() + path


def user_of_link(uid: str, token: str) -> User | None:
    """The active account the link was issued for, or None when it is invalid or used."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def set_password(user: User, password: str) -> None:
    """Set ``user``'s password after the site's password rules. Audited ``account.password_set``."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(_("the password is refused: ") + " ".join(exc.messages)) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        "account.password_set", actor=Actor.user(user), target_type="user", target_id=user.pk
    )
