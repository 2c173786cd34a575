"""Accounts of conveners and facilitators (participants never have one: they join by invitation).

Secrets are never stored in a usable form: API tokens as SHA-256 digests only,
TOTP seeds sealed with AES-GCM under a key derived from the master key, and no
IP address anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A convener, facilitator, observer or Track One liaison who signs in with a password."""

    is_convener = models.BooleanField(
        _("convener"),
        default=False,
        help_text=_("May convene initiatives (set by 'tracktwo facilitator add --convener')."),
    )

    class Meta:
        db_table = "accounts_user"


class TotpDevice(models.Model):
    """A user's TOTP second factor; the seed is sealed (see :mod:`tracktwo.accounts.totp`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret_sealed = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The highest 30-second time step accepted so far: a code is good once only.
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP device of user {self.user_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class ApiToken(models.Model):
    """A bearer token for the JSON API: only its SHA-256 digest is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"API token {self.name!r} of user {self.user_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class UserSession(models.Model):
    """A signed-in browser session, listed so its owner can see and revoke it. No IP address."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="web_sessions"
    )
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    device = models.CharField(max_length=60, blank=True)  # coarse: "Firefox on Android"

    class Meta:
        ordering = ("-last_seen_at", "-id")

    def __str__(self) -> str:
        return f"web session {self.pk} of user {self.user_id}"
