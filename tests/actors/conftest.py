"""Fixtures for the actor map and delegation tests: a private master key, a workshop."""

from __future__ import annotations

import sys
from pathlib import Path

from factories import private_master_key as private_master_key
from factories import workshop as workshop

sys.path.insert(0, str(Path(__file__).resolve().parent))
