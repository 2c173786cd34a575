"""Dialogues: the meetings of an initiative, their phases and ground rules, invitations,
participants, statements and votes."""
