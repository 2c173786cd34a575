"""Confidentiality and participant safety: keys, encryption at rest, audit, retention and wipe."""
