"""Fixtures for the tests of dialogues across languages: a private master key, a workshop."""

from factories import private_master_key as private_master_key
from factories import workshop as workshop
