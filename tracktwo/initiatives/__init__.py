"""Initiatives: the Track Two process on one conflict, its sides, members and roles, its keys."""
