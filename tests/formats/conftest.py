"""Fixtures for the formats tests (Sustained Dialogue, listening circles, joint texts)."""

from __future__ import annotations

import sys
from pathlib import Path

from factories import private_master_key as private_master_key

sys.path.insert(0, str(Path(__file__).resolve().parent))
