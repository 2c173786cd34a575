"""Participant and statement ids as the engine keeps them (a leaf module: imports nothing of ours).

Ids are kept as given, converted to ``int`` when written as whole numbers, so that JSON keys and
lists carry the ids the caller used. ``tracktwo.analysis.votes`` re-exports :data:`Id`.
"""

from __future__ import annotations

Id = int | str

__all__ = ["Id"]
