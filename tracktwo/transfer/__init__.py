"""Transfer to Track One: briefs, distribution and the transfer log."""
