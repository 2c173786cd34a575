"""Insight: the live analysis of a dialogue and the one typed, suppressed route to its readers."""
