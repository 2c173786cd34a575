"""Fixtures for the dialogues tests: a private master key per test, a workshop to work in."""

from factories import private_master_key as private_master_key
from factories import workshop as workshop
