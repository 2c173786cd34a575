"""Accounts: conveners and facilitators (passwords, TOTP, API tokens)."""
