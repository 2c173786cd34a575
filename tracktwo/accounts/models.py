"""Accounts of conveners and facilitators (participants never have one: they join by invitation)."""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A convener, facilitator, observer or Track One liaison who signs in with a password."""

    class Meta:
        db_table = "accounts_user"
