"""Pure opinion analysis: votes in, frozen dataclasses out.

This package must never import Django (``tests/analysis/test_it_stays_pure.py``
enforces it): it runs in the command line, in benchmarks and inside the site alike.
"""
