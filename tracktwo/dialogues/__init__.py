"""Initiatives, dialogues, sessions, statements and votes."""
