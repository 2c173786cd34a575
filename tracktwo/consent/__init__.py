"""Risk and consent per participant: risk profiles, informed consent about exposure, the
dialogue's effective risk and its protective defaults, do-no-harm assessments of tools,
and a participant's rights over their own data (``docs/security.md``)."""
